package org.dotmac.integrations.messaging;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Operators list, inspect, replay and delete dead letters through /api/v1/dead-letters. */
class DeadLettersApiTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "resilience.email.minimum-number-of-calls", "1000",
            "resilience.email.sliding-window-size", "1000",
            // no parking: transient failures go to the dead-letter queue after the retries in place
            "jms.park-limit", "0"));

    @Test
    void aDeadLetterReplaysOntoItsQueueOnceTheProviderIsBack() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        gateway.sendJms("integrations.email", "{\"to\":\"ana@example.com\",\"subject\":\"replay me\",\"content\":\"c\"}");
        JsonNode letter = awaitLetter("replay me");

        assertThat(letter.get("originalQueue").asText()).isEqualTo("integrations.email");
        assertThat(letter.get("status").asInt()).isEqualTo(503);
        assertThat(letter.get("reason").asText()).contains("SendGrid");
        JsonNode full = TestGateway.json(gateway.get("/api/v1/dead-letters/" + encode(letter.get("id").asText())).body());
        assertThat(full.get("body").asText()).contains("replay me");

        sendgrid.accept();
        int before = sendgrid.requests().size();
        HttpResponse<String> replayed = gateway.send(withKey("/api/v1/dead-letters/" + encode(letter.get("id").asText()) + "/replay")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(TestGateway.json(replayed.body()).get("replayedTo").asText()).isEqualTo("integrations.email");
        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.requests().size() > before);
        assertThat(findLetter("replay me")).as("gone from the dead-letter queue").isNull();
    }

    @Test
    void aDeadLetterCanBeDeletedAndThenIsGone() throws Exception {
        gateway.sendJms("integrations.sms", "{not json, delete me");
        JsonNode letter = awaitLetter("delete me");
        String path = "/api/v1/dead-letters/" + encode(letter.get("id").asText());

        assertThat(letter.get("status").asInt()).isEqualTo(400);
        assertThat(gateway.send(withKey(path).DELETE().build()).statusCode()).isEqualTo(204);
        assertThat(gateway.get(path).statusCode()).isEqualTo(404);
        assertThat(gateway.send(withKey(path).DELETE().build()).statusCode()).isEqualTo(404);
    }

    @Test
    void aMalformedIdIsA400() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/dead-letters/not-an-id");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"id\"");
    }

    private static JsonNode awaitLetter(String marker) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> findLetter(marker), letter -> letter != null);
    }

    private static JsonNode findLetter(String marker) throws Exception {
        JsonNode list = TestGateway.json(gateway.get("/api/v1/dead-letters").body());
        for (JsonNode letter : list.get("deadLetters")) {
            JsonNode full = TestGateway.json(gateway.get("/api/v1/dead-letters/" + encode(letter.get("id").asText())).body());
            if (full.path("body").asText().contains(marker)) {
                return letter;
            }
        }
        return null;
    }

    private static HttpRequest.Builder withKey(String path) {
        return gateway.request(path).header("X-API-Key", TestGateway.API_KEY);
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
