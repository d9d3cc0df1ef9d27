package org.dotmac.integrations.email.sendgrid;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /webhooks/sendgrid through the gateway's HTTP port, signed as SendGrid signs (a P-256 key pair of
 * the test's own, its public half configured as the verification key): events join the notification's
 * status record; anything unsigned, wrongly signed or stale is a 401 and changes nothing.
 */
class SendGridWebhookTest {

    static final KeyPair SENDGRID = keyPair();
    static final KeyPair STRANGER = keyPair();

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "email.sendgrid.webhook-verification-key", Base64.getEncoder().encodeToString(SENDGRID.getPublic().getEncoded())));

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void sendGridTakesMail() {
        sendgrid.accept();
    }

    /** Sends an email now and answers its {id, providerMessageId}. */
    private static JsonNode sent() throws Exception {
        HttpResponse<String> sent = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"webhook " + UUID.randomUUID() + "\",\"content\":\"c\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        return TestGateway.json(sent.body());
    }

    private static HttpResponse<String> post(String body, KeyPair signer, long timestamp) throws Exception {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(signer.getPrivate());
        signature.update(Long.toString(timestamp).getBytes(StandardCharsets.UTF_8));
        signature.update(body.getBytes(StandardCharsets.UTF_8));
        // no API key: SendGrid sends none
        return gateway.send(gateway.request("/webhooks/sendgrid").header("Content-Type", "application/json")
                .header(SendGridEvents.SIGNATURE, Base64.getEncoder().encodeToString(signature.sign()))
                .header(SendGridEvents.TIMESTAMP, Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return post(body, SENDGRID, System.currentTimeMillis() / 1000);
    }

    private static String event(String event, String eventId, String gatewayId, String messageId) {
        return "{\"event\":\"" + event + "\",\"sg_event_id\":\"" + eventId + "\",\"timestamp\":" + System.currentTimeMillis() / 1000
                + (gatewayId == null ? "" : ",\"gateway_message_id\":\"" + gatewayId + "\"")
                + ",\"sg_message_id\":\"" + messageId + ".filterdrecv-1\",\"email\":\"ana@example.com\"}";
    }

    private static JsonNode status(String id) throws Exception {
        return TestGateway.json(gateway.get("/api/v1/notifications/" + id).body());
    }

    private static List<String> events(JsonNode record) {
        List<String> events = new ArrayList<>();
        record.get("events").forEach(e -> events.add(e.get("event").asText()));
        return events;
    }

    private static double metric(String prefix) throws Exception {
        return gateway.get("/observe/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** README's worked example: queue an email, read it sent, SendGrid's event arrives, read it delivered. */
    @Test
    void aSignedDeliveredEventMarksTheNotificationDelivered() throws Exception {
        HttpResponse<String> queued = gateway.postJson("/api/v1/notifications/email",
                "{\"to\":\"ana@example.com\",\"subject\":\"Hi\",\"content\":\"Hello\"}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        String location = queued.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        JsonNode sent = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> status(id), record -> record.get("status").asText().equals("sent"));
        double deliveredBefore = metric("gateway_notification_status_changes_total{provider=\"sendgrid\",status=\"delivered\"");
        long before = System.currentTimeMillis();

        HttpResponse<String> answer = post("[" + event("delivered", "ev-" + UUID.randomUUID(), id,
                sent.get("providerMessageId").asText()) + "]");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(TestGateway.json(answer.body()).get("recorded").asInt()).isEqualTo(1);
        JsonNode record = status(id);
        assertThat(record.get("status").asText()).isEqualTo("delivered");
        assertThat(events(record)).containsExactly("accepted", "sent", "delivered");
        assertThat(record.get("events").get(2).get("providerEvent").asText()).isEqualTo("delivered");
        assertThat(metric("gateway_notification_status_changes_total{provider=\"sendgrid\",status=\"delivered\""))
                .isEqualTo(deliveredBefore + 1);
        JsonNode email = TestGateway.healthCheck(TestGateway.json(gateway.get("/observe/health?data=true").body()), "integration-email");
        assertThat(java.time.Instant.parse(email.at("/data/lastProviderEvent").asText()).toEpochMilli())
                .as("the last SendGrid event in the health data").isGreaterThanOrEqualTo(before - 1000);
    }

    @Test
    void withoutTheGatewaysIdTheEventIsMatchedBySendGridsMessageIdAndABounceAfterDeliveryFailsIt() throws Exception {
        JsonNode sent = sent();
        String id = sent.get("id").asText();
        String messageId = sent.get("providerMessageId").asText();

        post("[" + event("delivered", "ev-" + UUID.randomUUID(), null, messageId) + ","
                + event("bounce", "ev-" + UUID.randomUUID(), null, messageId) + "]");

        JsonNode record = status(id);
        assertThat(events(record)).containsExactly("accepted", "sent", "delivered", "bounced");
        assertThat(record.get("status").asText()).isEqualTo("failed");
    }

    @Test
    void aRepeatedEventChangesNothing() throws Exception {
        JsonNode sent = sent();
        String id = sent.get("id").asText();
        String body = "[" + event("delivered", "ev-" + UUID.randomUUID(), id, sent.get("providerMessageId").asText()) + "]";

        assertThat(TestGateway.json(post(body).body()).get("recorded").asInt()).isEqualTo(1);
        HttpResponse<String> again = post(body);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(again.body()).get("duplicates").asInt()).isEqualTo(1);
        assertThat(events(status(id))).containsExactly("accepted", "sent", "delivered");
    }

    @Test
    void aWrongStaleOrMissingSignatureIs401AndRecordsNothing() throws Exception {
        JsonNode sent = sent();
        String id = sent.get("id").asText();
        String body = "[" + event("bounce", "ev-" + UUID.randomUUID(), id, sent.get("providerMessageId").asText()) + "]";
        double refusedBefore = metric("gateway_webhook_signature_failures_total{provider=\"sendgrid\"");

        List<HttpResponse<String>> answers = List.of(
                post(body, STRANGER, System.currentTimeMillis() / 1000),
                post(body, SENDGRID, System.currentTimeMillis() / 1000 - 301),
                gateway.send(gateway.request("/webhooks/sendgrid").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build()));

        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(events(status(id))).containsExactly("accepted", "sent");
        assertThat(metric("gateway_webhook_signature_failures_total{provider=\"sendgrid\"")).isEqualTo(refusedBefore + 3);
    }

    @Test
    void aSignedBodyThatIsNoEventArrayIsA400Problem() throws Exception {
        for (String body : List.of("not json", "{\"event\":\"delivered\"}", "")) {
            HttpResponse<String> answer = post(body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(answer.body()).doesNotContain("Exception");
        }
    }

    @Test
    void anEventForAnUnknownMessageIsAcknowledgedAndCounted() throws Exception {
        double before = metric("gateway_provider_events_total{event=\"delivered\",outcome=\"unknown\",provider=\"sendgrid\"");

        HttpResponse<String> answer = post("[" + event("delivered", "ev-" + UUID.randomUUID(), null, "never-sent") + "]");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(answer.body()).get("unknown").asInt()).isEqualTo(1);
        assertThat(metric("gateway_provider_events_total{event=\"delivered\",outcome=\"unknown\",provider=\"sendgrid\""))
                .isEqualTo(before + 1);
    }
}
