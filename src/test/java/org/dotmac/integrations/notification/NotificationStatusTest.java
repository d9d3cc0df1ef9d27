package org.dotmac.integrations.notification;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every notification's status record, through every door, read back over GET /api/v1/notifications. */
class NotificationStatusTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "resilience.email.minimum-number-of-calls", "1000",
            "resilience.email.sliding-window-size", "1000",
            "jms.max-redeliveries", "1",
            "notification.events-topics", "true",
            "jms.park-delay", "300",
            "jms.park-max-delay", "1000"));

    @BeforeEach
    void sendGridTakesMail() {
        sendgrid.accept();
    }

    private static String email(String subject) {
        return "{\"to\":\"ana@example.com\",\"subject\":\"" + subject + "\",\"content\":\"c\"}";
    }

    private static JsonNode status(String id) throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/notifications/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestGateway.json(response.body());
    }

    private static JsonNode awaitStatus(String id, String status) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> status(id), record -> record.get("status").asText().equals(status));
    }

    private static List<String> events(JsonNode record) {
        List<String> events = new ArrayList<>();
        record.get("events").forEach(event -> events.add(event.get("event").asText()));
        return events;
    }

    @Test
    void aQueuedEmailsLocationShowsItSentWithItsEventsAndTimes() throws Exception {
        HttpResponse<String> accepted = gateway.postJson("/api/v1/notifications/email", email("status " + UUID.randomUUID()));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        String id = TestGateway.json(accepted.body()).get("id").asText();
        assertThat(location).isEqualTo("/api/v1/notifications/" + id);

        JsonNode record = awaitStatus(id, "sent");

        assertThat(record.get("id").asText()).isEqualTo(id);
        assertThat(record.get("type").asText()).isEqualTo("email");
        assertThat(record.get("provider").asText()).isEqualTo("sendgrid");
        assertThat(record.get("providerMessageId").asText()).startsWith("sg-");
        assertThat(events(record)).containsExactly("accepted", "sent");
        Instant created = Instant.parse(record.get("createdAt").asText());
        Instant updated = Instant.parse(record.get("updatedAt").asText());
        assertThat(updated).isAfterOrEqualTo(created);
        assertThat(Instant.parse(record.get("events").get(1).get("at").asText())).isEqualTo(updated);
    }

    @Test
    void aSynchronousSendHasARecordWithTheSameAnswer() throws Exception {
        HttpResponse<String> sent = gateway.postJson("/api/v1/notifications/email?wait=true", email("sync status"));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        JsonNode answer = TestGateway.json(sent.body());

        JsonNode record = status(answer.get("id").asText());

        assertThat(record.get("status").asText()).isEqualTo("sent");
        assertThat(record.get("providerMessageId").asText()).isEqualTo(answer.get("providerMessageId").asText());
        assertThat(events(record)).containsExactly("accepted", "sent");
    }

    @Test
    void aJmsRequestHasARecordUnderItsId() throws Exception {
        String id = "jms-status-" + UUID.randomUUID();
        gateway.sendJms("integrations.email", email("jms status"), Map.of("NotificationId", id));

        JsonNode record = awaitStatus(id, "sent");

        assertThat(events(record)).containsExactly("accepted", "sent");
        assertThat(record.get("type").asText()).isEqualTo("email");
    }

    @Test
    void aSynchronousSendTheProviderRefusesIsFailedWithTheClassifiedReason() throws Exception {
        sendgrid.answer(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"message\":\"The to email does not contain a valid address.\",\"field\":\"personalizations.0.to\"}]}"));
        HttpResponse<String> refused = gateway.postJson("/api/v1/notifications/email?wait=true", email("refused now"),
                Map.of("Idempotency-Key", "status-refused-" + UUID.randomUUID()));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        String id = idOfSubject("refused now");

        JsonNode record = status(id);

        assertThat(record.get("status").asText()).isEqualTo("failed");
        assertThat(events(record)).containsExactly("accepted", "attempt_failed");
        assertThat(record.get("events").get(1).get("detail").asText()).startsWith("rejected: ");
    }

    @Test
    void aQueuedEmailTheProviderRefusesIsDeadAndItsReplayIsSent() throws Exception {
        sendgrid.answer(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"message\":\"refused\",\"field\":null}]}"));
        String subject = "dead then replayed " + UUID.randomUUID();
        HttpResponse<String> accepted = gateway.postJson("/api/v1/notifications/email", email(subject));
        String id = TestGateway.json(accepted.body()).get("id").asText();

        JsonNode dead = awaitStatus(id, "dead");
        assertThat(events(dead)).containsExactly("accepted", "attempt_failed", "dead_lettered");

        sendgrid.accept();
        String letter = awaitLetter(subject);
        HttpResponse<String> replayed = gateway.send(gateway.request("/api/v1/dead-letters/"
                        + URLEncoder.encode(letter, StandardCharsets.UTF_8) + "/replay")
                .header("X-API-Key", TestGateway.API_KEY).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);

        JsonNode sent = awaitStatus(id, "sent");
        assertThat(events(sent)).containsExactly("accepted", "attempt_failed", "dead_lettered", "replayed", "sent");
    }

    @Test
    void aQueuedEmailParkedWhileTheProviderIsDownIsSentWhenItIsBack() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        HttpResponse<String> accepted = gateway.postJson("/api/v1/notifications/email", email("parked status"));
        String id = TestGateway.json(accepted.body()).get("id").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> events(status(id)).contains("parked"));
        assertThat(status(id).get("status").asText()).as("parked is still queued").isEqualTo("queued");
        sendgrid.accept();

        JsonNode sent = awaitStatus(id, "sent");
        List<String> events = events(sent);
        assertThat(events.get(0)).isEqualTo("accepted");
        assertThat(events).contains("attempt_failed", "parked").endsWith("sent");
        assertThat(sent.get("events").findValuesAsText("detail")).anyMatch(detail -> detail.startsWith("unavailable: "));
    }

    @Test
    void everyEventIsPublishedOnTheOperatorsTopicAndOnTheCallersOwn() throws Exception {
        String caller = "key-" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(TestGateway.API_KEY.getBytes(StandardCharsets.UTF_8)), 0, 4);
        var factory = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("tcp://127.0.0.1:" + gateway.brokerPort());
        try (factory; var connection = factory.createConnection()) {
            var session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            var all = session.createConsumer(session.createTopic("integrations.events"));
            var own = session.createConsumer(session.createTopic("integrations.events." + caller));
            var jmsCallers = session.createConsumer(session.createTopic("integrations.events.jms"));
            connection.start();
            String subject = "published " + UUID.randomUUID();
            String id = TestGateway.json(gateway.postJson("/api/v1/notifications/email", email(subject)).body()).get("id").asText();
            awaitStatus(id, "sent");

            for (var consumer : List.of(all, own)) {
                List<String> seen = new ArrayList<>();
                while (seen.size() < 2) {
                    var message = (jakarta.jms.TextMessage) consumer.receive(10_000);
                    assertThat(message).as("events for " + id + " so far " + seen).isNotNull();
                    JsonNode event = TestGateway.json(message.getText());
                    if (event.get("id").asText().equals(id)) {
                        seen.add(event.get("event").asText() + ":" + event.get("status").asText());
                        Instant.parse(event.get("at").asText());
                    }
                }
                assertThat(seen).containsExactly("accepted:queued", "sent:sent");
            }
            // another caller's notification: its events reach its own topic (the witness that they were
            // published), and this caller's topic got none of them
            String otherId = "other-" + UUID.randomUUID();
            gateway.sendJms("integrations.email", email("other caller"), Map.of("NotificationId", otherId));
            awaitStatus(otherId, "sent");
            List<String> theirs = new ArrayList<>();
            for (var m = jmsCallers.receive(10_000); m != null && theirs.size() < 2; m = theirs.size() < 2 ? jmsCallers.receive(10_000) : null) {
                theirs.add(TestGateway.json(((jakarta.jms.TextMessage) m).getText()).get("id").asText());
            }
            assertThat(theirs).containsOnly(otherId).hasSize(2);
            for (var m = own.receiveNoWait(); m != null; m = own.receiveNoWait()) {
                assertThat(TestGateway.json(((jakarta.jms.TextMessage) m).getText()).get("id").asText()).isNotEqualTo(otherId);
            }
        }
    }

    @Test
    void aJmsRequesterGetsItsNotificationsEventsOnTheQueueItNamed() throws Exception {
        String id = "jms-events-" + UUID.randomUUID();
        String queue = "billing.notification-events." + UUID.randomUUID();
        gateway.sendJms("integrations.email", email("events to me"), Map.of("NotificationId", id, "EventsReplyTo", queue));

        List<String> events = new ArrayList<>();
        while (events.size() < 2) {
            var message = (jakarta.jms.TextMessage) gateway.receiveJms(queue, 10_000);
            assertThat(message).as("events so far " + events).isNotNull();
            JsonNode event = TestGateway.json(message.getText());
            assertThat(event.get("id").asText()).isEqualTo(id);
            events.add(event.get("event").asText());
        }
        assertThat(events).containsExactly("accepted", "sent");
    }

    @Test
    void aReplyQueueOfTheGatewaysOwnIsRefusedAsTheRequestersMistake() throws Exception {
        String subject = "events into the email queue " + UUID.randomUUID();
        gateway.sendJms("integrations.email", email(subject), Map.of("NotificationId", "own-queue-" + UUID.randomUUID(),
                "EventsReplyTo", "integrations.email"));

        JsonNode letter = org.dotmac.integrations.support.DeadLetterLookup.await(gateway, subject);
        assertThat(letter.get("status").asInt()).isEqualTo(400);
        assertThat(letter.get("reason").asText()).contains("EventsReplyTo");
    }

    @Test
    void anUnknownIdIsA404ProblemAndAMalformedOneA400NamingId() throws Exception {
        HttpResponse<String> unknown = gateway.get("/api/v1/notifications/" + UUID.randomUUID());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

        HttpResponse<String> malformed = gateway.get("/api/v1/notifications/" + "a".repeat(65));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(malformed.body()).get("errors").get(0).get("field").asText()).isEqualTo("id");
    }

    @Test
    void theListingIsNewestFirstPagedByACursorAndFiltered() throws Exception {
        String since = Instant.now().minusMillis(1).toString();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> sent = gateway.postJson("/api/v1/notifications/email?wait=true", email("listed " + i));
            ids.add(TestGateway.json(sent.body()).get("id").asText());
            // distinct acceptance times, so that newest first is one order
            long acceptedBy = System.currentTimeMillis();
            await().until(() -> System.currentTimeMillis() > acceptedBy);
        }

        JsonNode first = list("?since=" + since + "&limit=2");
        assertThat(first.get("notifications").findValuesAsText("id")).containsExactly(ids.get(2), ids.get(1));
        assertThat(first.get("next").isTextual()).isTrue();
        JsonNode second = list("?since=" + since + "&limit=2&cursor=" + first.get("next").asText());
        assertThat(second.get("notifications").findValuesAsText("id")).containsExactly(ids.get(0));
        assertThat(second.get("next").isNull()).isTrue();

        assertThat(list("?since=" + since + "&type=sms").get("notifications")).isEmpty();
        assertThat(list("?since=" + since + "&status=sent").get("notifications").findValuesAsText("id"))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(list("?since=" + since + "&status=failed").get("notifications")).isEmpty();
    }

    @Test
    void aBadListingParameterIsA400NamingIt() throws Exception {
        Map<String, String> bad = Map.of("status", "status=lost", "type", "type=fax", "since", "since=yesterday",
                "limit", "limit=0", "cursor", "cursor=bm90LWEtY3Vyc29y");
        for (var entry : bad.entrySet()) {
            HttpResponse<String> response = gateway.get("/api/v1/notifications?" + entry.getValue());
            assertThat(response.statusCode()).as(entry.getValue()).isEqualTo(400);
            assertThat(TestGateway.json(response.body()).get("errors").get(0).get("field").asText()).as(entry.getValue())
                    .isEqualTo(entry.getKey());
        }
        assertThat(gateway.get("/api/v1/notifications?limit=101").statusCode()).isEqualTo(400);
    }

    @Test
    void recordsPastTheRetentionArePurgedInTheBackground() throws Exception {
        try (TestGateway brief = TestGateway.perClass(Map.of("notification.retention", "3s",
                "notification.purge-interval", "200ms", "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort())).startNow()) {
            HttpResponse<String> sent = brief.postJson("/api/v1/notifications/email?wait=true", email("brief"));
            String id = TestGateway.json(sent.body()).get("id").asText();
            assertThat(brief.get("/api/v1/notifications/" + id).statusCode()).as("kept at first").isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).until(() -> brief.get("/api/v1/notifications/" + id).statusCode() == 404);
        }
    }

    private static JsonNode list(String query) throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/notifications" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestGateway.json(response.body());
    }

    /** The gateway id SendGrid received for the email with this subject. */
    private static String idOfSubject(String subject) throws Exception {
        for (var request : sendgrid.requests()) {
            if (request.getBodyAsString().contains(subject)) {
                return SendGridDouble.gatewayId(request.getBodyAsString());
            }
        }
        throw new AssertionError("SendGrid received no email with subject " + subject);
    }

    private static String awaitLetter(String marker) {
        return org.dotmac.integrations.support.DeadLetterLookup.await(gateway, marker).get("id").asText();
    }
}
