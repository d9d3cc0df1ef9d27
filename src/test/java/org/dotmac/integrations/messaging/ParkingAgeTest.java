package org.dotmac.integrations.messaging;

import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/** Retrying is bounded in time as well as in count: jms.park-max-age. */
class ParkingAgeTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    // a parking limit it never reaches: only the age bound ends the retrying
    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "resilience.email.wait-duration-in-open-state", "200ms",
            "jms.max-redeliveries", "0",
            "jms.park-delay", "200",
            "jms.park-max-delay", "200",
            "jms.park-limit", "1000",
            "jms.park-max-age", "2s"));

    @Test
    void retryingStopsAtTheMaximumAgeAndTheRequestIsDeadLetteredWithItsHistory() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        long start = System.currentTimeMillis();
        gateway.sendJms("integrations.email", "{\"to\":\"ana@example.com\",\"subject\":\"aged\",\"content\":\"c\"}");

        var dead = gateway.receiveJms("integrations.dlq", 20_000);

        long took = System.currentTimeMillis() - start;
        assertThat(dead).as("dead-lettered").isNotNull();
        assertThat(took).as("ms until dead-lettered").isBetween(2000L, 10_000L);
        assertThat(dead.getIntProperty(Parking.COUNT)).isGreaterThan(2).isLessThan(1000);
        assertThat(dead.getStringProperty("DeadLetterHistory")).contains("503");
    }
}
