package org.dotmac.integrations.messaging;

import java.net.http.HttpRequest;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    @Test
    void aReplayedDeadLetterStartsAFreshRetryBudget() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        gateway.sendJms("integrations.email", "{\"to\":\"ana@example.com\",\"subject\":\"aged replay\",\"content\":\"c\"}");
        JsonNode first = await().atMost(Duration.ofSeconds(20)).until(() -> letter("aged replay"), l -> l != null);
        var replayed = gateway.send(gateway.request("/api/v1/dead-letters/" + encode(first.get("id").asText()) + "/replay")
                .header("X-API-Key", TestGateway.API_KEY).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);

        // with the first parking's time kept it would be dead again at its first parking (parkings 1)
        JsonNode again = await().atMost(Duration.ofSeconds(20)).until(() -> letter("aged replay"),
                l -> l != null && !l.get("id").asText().equals(first.get("id").asText()));
        assertThat(again.get("parkings").asInt()).as(again.toString()).isGreaterThan(2);
        assertThat(again.get("history").asText()).doesNotContain(first.get("history").asText());
        // the other test reads the dead-letter queue: leave it empty
        assertThat(gateway.send(gateway.request("/api/v1/dead-letters/" + encode(again.get("id").asText()))
                .header("X-API-Key", TestGateway.API_KEY).DELETE().build()).statusCode()).isEqualTo(204);
    }

    private static JsonNode letter(String marker) throws Exception {
        for (JsonNode letter : TestGateway.json(gateway.get("/api/v1/dead-letters?limit=1000").body()).get("deadLetters")) {
            JsonNode full = TestGateway.json(gateway.get("/api/v1/dead-letters/" + encode(letter.get("id").asText())).body());
            if (full.path("body").asText().contains(marker)) {
                return full;
            }
        }
        return null;
    }

    private static String encode(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
    }
}
