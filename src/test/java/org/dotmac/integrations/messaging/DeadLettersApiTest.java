package org.dotmac.integrations.messaging;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.dotmac.integrations.support.DeadLetterLookup;
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
            "jms.park-limit", "0",
            // the broker's own dead-lettering of a message no consumer could take, after two deliveries
            "jms.max-delivery-attempts", "2"));

    @Test
    void aDeadLetterReplaysOntoItsQueueOnceTheProviderIsBack() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        gateway.sendJms("integrations.email", "{\"to\":\"ana@example.com\",\"subject\":\"replay me\",\"content\":\"c\"}",
                java.util.Map.of("NotificationId", "replay-me-1"));
        JsonNode letter = awaitLetter("replay me");

        assertThat(letter.get("originalQueue").asText()).isEqualTo("integrations.email");
        assertThat(letter.get("status").asInt()).isEqualTo(503);
        assertThat(letter.get("reason").asText()).contains("SendGrid");
        JsonNode full = TestGateway.json(gateway.get("/api/v1/dead-letters/" + encode(letter.get("id").asText())).body());
        assertThat(full.get("body").asText()).contains("replay me");

        sendgrid.accept();
        HttpResponse<String> replayed = gateway.send(withKey("/api/v1/dead-letters/" + encode(letter.get("id").asText()) + "/replay")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(TestGateway.json(replayed.body()).get("replayedTo").asText()).isEqualTo("integrations.email");
        // delivered, not only tried: counted by what SendGrid answered (2xx), once
        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.acceptedIds().contains("replay-me-1"));
        assertThat(sendgrid.acceptedIds()).containsOnlyOnce("replay-me-1");
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

    @Test
    void aKeyedRequestDeadLetteredReplayedAndDeadLetteredAgainIsKeptAndDeliveredOnItsNextReplay() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        var accepted = gateway.postJson("/api/v1/notifications/email",
                "{\"to\":\"ana@example.com\",\"subject\":\"keyed twice dead\",\"content\":\"c\"}",
                java.util.Map.of("Idempotency-Key", "dead-twice-1"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = TestGateway.json(accepted.body()).get("id").asText();
        JsonNode letter = awaitLetter("keyed twice dead");
        assertThat(replay(letter).statusCode()).isEqualTo(200);
        // still failing: back in the dead-letter queue, not dropped by the broker as a repeat
        JsonNode again = await().atMost(Duration.ofSeconds(30)).until(() -> findLetter("keyed twice dead"),
                l -> l != null && !l.get("id").asText().equals(letter.get("id").asText()));

        sendgrid.accept();
        assertThat(replay(again).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.acceptedIds().contains(id));
        assertThat(sendgrid.acceptedIds()).containsOnlyOnce(id);
    }

    @Test
    void aBytesLetterTheBrokerDeadLetteredItselfIsListedAndReplayedToTheQueueOfItsAddress() throws Exception {
        byte[] body = {0, 1, 2, (byte) 0xff, 'b', 'y', 't', 'e', 's'};
        String queue = "test.broker-dead-lettered";
        try (var connection = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + gateway.brokerPort()).createConnection()) {
            connection.start();
            Session producing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage message = producing.createBytesMessage();
            message.writeBytes(body);
            producing.createProducer(producing.createQueue(queue)).send(message);
            // a consumer that fails it twice (jms.max-delivery-attempts): the broker moves it itself
            Session failing = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = failing.createConsumer(failing.createQueue(queue));
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThat(consumer.receive(10_000)).as("delivery " + (attempt + 1)).isNotNull();
                failing.rollback();
            }
            consumer.close();

            JsonNode letter = await().atMost(Duration.ofSeconds(20)).until(() -> letterFrom(queue), l -> l != null);
            assertThat(letter.get("type").asText()).isEqualTo("bytes");
            JsonNode full = TestGateway.json(gateway.get("/api/v1/dead-letters/" + encode(letter.get("id").asText())).body());
            assertThat(full.get("bodyEncoding").asText()).isEqualTo("base64");
            assertThat(java.util.Base64.getDecoder().decode(full.get("body").asText())).isEqualTo(body);

            HttpResponse<String> replayed = replay(letter);
            assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
            assertThat(TestGateway.json(replayed.body()).get("replayedTo").asText()).isEqualTo(queue);
            Session reading = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var back = reading.createConsumer(reading.createQueue(queue)).receive(10_000);
            assertThat(back).isInstanceOf(BytesMessage.class);
            assertThat(back.getBody(byte[].class)).isEqualTo(body);
        }
    }

    @Test
    void theListingPagesThroughEveryLetterWithACursor() throws Exception {
        for (int i = 0; i < 5; i++) {
            gateway.sendJms("integrations.sms", "{not json, page " + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> TestGateway.json(gateway.get("/api/v1/dead-letters?limit=1000").body())
                .get("deadLetters").size() >= 5);
        java.util.List<String> all = TestGateway.json(gateway.get("/api/v1/dead-letters?limit=1000").body())
                .get("deadLetters").findValuesAsText("id");
        assertThat(TestGateway.json(gateway.get("/api/v1/dead-letters?limit=1000").body()).get("nextCursor").isNull()).isTrue();

        java.util.List<String> walked = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = TestGateway.json(gateway.get("/api/v1/dead-letters?limit=2"
                    + (cursor == null ? "" : "&cursor=" + encode(cursor))).body());
            assertThat(page.get("deadLetters").size()).isBetween(1, 2);
            walked.addAll(page.get("deadLetters").findValuesAsText("id"));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(walked).isEqualTo(all);

        HttpResponse<String> gone = gateway.get("/api/v1/dead-letters?cursor=" + encode("ID:00000000-0000-0000-0000-000000000000"));
        assertThat(gone.statusCode()).isEqualTo(400);
        assertThat(gone.body()).contains("\"field\":\"cursor\"");
    }

    private static JsonNode letterFrom(String queue) throws Exception {
        for (JsonNode letter : TestGateway.json(gateway.get("/api/v1/dead-letters?limit=1000").body()).get("deadLetters")) {
            if (queue.equals(letter.path("originalQueue").asText())) {
                return letter;
            }
        }
        return null;
    }

    private static HttpResponse<String> replay(JsonNode letter) throws Exception {
        return gateway.send(withKey("/api/v1/dead-letters/" + encode(letter.get("id").asText()) + "/replay")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static JsonNode awaitLetter(String marker) {
        return DeadLetterLookup.await(gateway, marker);
    }

    private static JsonNode findLetter(String marker) throws Exception {
        return DeadLetterLookup.find(gateway, marker);
    }

    private static HttpRequest.Builder withKey(String path) {
        return gateway.request(path).header("X-API-Key", TestGateway.API_KEY);
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
