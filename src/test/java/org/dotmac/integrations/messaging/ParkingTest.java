package org.dotmac.integrations.messaging;

import java.time.Duration;
import java.util.Map;

import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A provider down for a while: accepted requests are parked on their queue and delivered once it is back. */
class ParkingTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "email.provider", "sendgrid",
            "email.sendgrid.base-url", sendgrid.baseUrl(),
            "email.sendgrid.api-key", SendGridDouble.API_KEY,
            "resilience.email.wait-duration-in-open-state", "500ms",
            "jms.max-redeliveries", "1",
            "jms.park-delay", "300",
            "jms.park-max-delay", "1000"));

    @Test
    void requestsAcceptedDuringAnOutageAreDeliveredOnceItEnds() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        java.util.List<String> accepted = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            var response = gateway.postJson("/api/v1/notifications/email",
                    "{\"to\":\"ana@example.com\",\"subject\":\"outage " + i + "\",\"content\":\"c\"}");
            assertThat(response.statusCode()).isEqualTo(202);
            accepted.add(TestGateway.json(response.body()).get("id").asText());
        }
        // parked at least once, then still failing
        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.requests().size() >= 10);
        assertThat(sendgrid.deliveredIds()).containsAll(accepted);

        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "ok"));
        int failedCalls = sendgrid.requests().size();
        // delivered within a parking delay of the recovery, and only once each
        await().atMost(Duration.ofSeconds(20)).until(() ->
                sendgrid.deliveredIds().subList(failedCalls, sendgrid.deliveredIds().size()).containsAll(accepted));
        var afterRecovery = sendgrid.deliveredIds().subList(failedCalls, sendgrid.deliveredIds().size());
        assertThat(afterRecovery).doesNotHaveDuplicates();
        assertThat(gateway.receiveJms("integrations.dlq", 500)).as("nothing dead-lettered").isNull();
    }
}
