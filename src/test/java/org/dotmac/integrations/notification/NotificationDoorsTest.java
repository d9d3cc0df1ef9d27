package org.dotmac.integrations.notification;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.sms.SmsRequest;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every notification operation through each door (REST async and sync, JMS, direct) reaches the same outbox. */
class NotificationDoorsTest {

    static final String EMAIL = """
            {"to": ["ana@example.com", "Bo Li <bo@example.com>"], "cc": "cc@example.com", "subject": "Grüße",
             "content": "Hello", "html": "<p>Hello</p>", "replyTo": "help@example.com"}""";
    static final String SMS = """
            {"to": "+14155550100", "message": "Your code is 1234"}""";
    static final String GENERIC_EMAIL = """
            {"type": "email", "recipient": "ana@example.com", "message": "Hi", "subject": "Generic"}""";
    static final String GENERIC_SMS = """
            {"type": "sms", "recipient": "+447700900123", "message": "Hi"}""";

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass();

    @BeforeEach
    void clearOutbox() throws Exception {
        gateway.send(gateway.request("/api/v1/outbox").header("X-API-Key", TestGateway.API_KEY).DELETE().build());
    }

    @Test
    void restQueuesAnEmailAndTheOutboxReceivesIt() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email", EMAIL);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = TestGateway.json(response.body());
        String id = body.get("id").asText();
        assertThat(body.get("status").asText()).isEqualTo("queued");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/notifications/" + id);
        JsonNode delivered = awaitOutboxEntry(id);
        assertThat(delivered.get("type").asText()).isEqualTo("email");
        assertThat(delivered.at("/request/to/1").asText()).isEqualTo("Bo Li <bo@example.com>");
        assertThat(delivered.at("/request/cc/0").asText()).isEqualTo("cc@example.com");
        assertThat(delivered.at("/request/subject").asText()).isEqualTo("Grüße");
    }

    @Test
    void restWithWaitSendsAnEmailAndAnswersTheProviderResult() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true", EMAIL);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = TestGateway.json(response.body());
        assertThat(result.get("status").asText()).isEqualTo("captured");
        assertThat(result.get("provider").asText()).isEqualTo("outbox");
        assertThat(result.get("providerMessageId").asText()).startsWith("outbox-");
        assertThat(outboxEntry(result.get("id").asText())).isNotNull();
    }

    @Test
    void aRestCallerCannotNameItsIdWithAJmsHeader() throws Exception {
        // the JMS door's JMSMessageID gives a message sent without an id its id; over HTTP it is just a header
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true", EMAIL,
                java.util.Map.of("JMSMessageID", "ID:chosen-by-the-caller"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(response.body()).get("id").asText()).isNotEqualTo("chosen-by-the-caller")
                .matches("[0-9a-f-]{36}");
    }

    @Test
    void restQueuesAnSmsAndWithWaitSendsIt() throws Exception {
        String id = TestGateway.json(gateway.postJson("/api/v1/notifications/sms", SMS).body()).get("id").asText();
        assertThat(awaitOutboxEntry(id).at("/request/to").asText()).isEqualTo("+14155550100");

        HttpResponse<String> sync = gateway.postJson("/api/v1/notifications/sms?wait=true", SMS);
        assertThat(sync.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(sync.body()).get("provider").asText()).isEqualTo("outbox");
    }

    @Test
    void restGenericNotificationIsRoutedByType() throws Exception {
        String emailId = TestGateway.json(gateway.postJson("/api/v1/notifications", GENERIC_EMAIL).body()).get("id").asText();
        JsonNode email = awaitOutboxEntry(emailId);
        assertThat(email.get("type").asText()).isEqualTo("email");
        assertThat(email.at("/request/to/0").asText()).isEqualTo("ana@example.com");
        assertThat(email.at("/request/content").asText()).isEqualTo("Hi");

        HttpResponse<String> sms = gateway.postJson("/api/v1/notifications?wait=true", GENERIC_SMS);
        assertThat(sms.statusCode()).isEqualTo(200);
        assertThat(outboxEntry(TestGateway.json(sms.body()).get("id").asText()).get("type").asText()).isEqualTo("sms");
    }

    @Test
    void genericEmailWithoutSubjectGetsTheDefaultSubject() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications?wait=true",
                "{\"type\":\"email\",\"recipient\":\"ana@example.com\",\"message\":\"Hi\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode entry = outboxEntry(TestGateway.json(response.body()).get("id").asText());
        assertThat(entry.at("/request/subject").asText()).isEqualTo("Notification");
    }

    @Test
    void jmsQueuesTakeTheSameBodiesAsRest() throws Exception {
        gateway.sendJms("integrations.email", EMAIL);
        gateway.sendJms("integrations.sms", SMS);
        gateway.sendJms("integrations.notifications", GENERIC_EMAIL);
        gateway.sendJms("integrations.notifications", GENERIC_SMS);

        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.outbox().get("count").asInt() == 4);
        JsonNode messages = gateway.outbox().get("messages");
        assertThat(messages.findValuesAsText("type")).containsExactlyInAnyOrder("email", "sms", "email", "sms");
    }

    @Test
    void jmsSendsTheResultToJmsReplyTo() throws Exception {
        JsonNode email = TestGateway.json(gateway.requestJms("integrations.email", EMAIL));
        JsonNode sms = TestGateway.json(gateway.requestJms("integrations.sms", SMS));
        JsonNode generic = TestGateway.json(gateway.requestJms("integrations.notifications", GENERIC_SMS));

        for (JsonNode result : new JsonNode[] {email, sms, generic}) {
            assertThat(result.get("status").asText()).isEqualTo("captured");
            assertThat(result.get("provider").asText()).isEqualTo("outbox");
            assertThat(outboxEntry(result.get("id").asText())).isNotNull();
        }
    }

    @Test
    void directEndpointsTakeJsonMapsAndRequestObjects() throws Exception {
        Object email = gateway.direct("direct:email-send", EMAIL);
        Object sms = gateway.direct("direct:sms-send", new SmsRequest("+14155550100", "Hi"));
        Object generic = gateway.direct("direct:notification-send",
                Map.of("type", "email", "recipient", "ana@example.com", "message", "Hi"));

        for (Object result : new Object[] {email, sms, generic}) {
            assertThat(result).isInstanceOf(NotificationResult.class);
            NotificationResult r = (NotificationResult) result;
            assertThat(r.status()).isEqualTo("captured");
            assertThat(r.provider()).isEqualTo("outbox");
            assertThat(outboxEntry(r.id())).isNotNull();
        }
        assertThat(outboxEntry(((NotificationResult) sms).id()).get("type").asText()).isEqualTo("sms");
    }

    @Test
    void theApiKeyAndOtherHttpHeadersDoNotTravelOnTheQueue() throws Exception {
        // hold the consumer so that the queued message can be looked at
        gateway.gateway().context().getRouteController().stopRoute("jms-email");
        try {
            HttpResponse<String> response = gateway.send(gateway.request("/api/v1/notifications/email")
                    .header("Authorization", "Bearer " + TestGateway.API_KEY)
                    .header("X-Custom", "from-client")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(EMAIL)).build());
            assertThat(response.statusCode()).isEqualTo(202);
            String id = TestGateway.json(response.body()).get("id").asText();

            var properties = gateway.browseJmsProperties("integrations.email");
            assertThat(properties).containsEntry("NotificationId", id);
            assertThat(properties.keySet()).noneMatch(k -> k.equalsIgnoreCase("Authorization")
                    || k.equalsIgnoreCase("X-API-Key") || k.equalsIgnoreCase("X-Custom"));
            assertThat(properties.values()).noneMatch(v -> String.valueOf(v).contains(TestGateway.API_KEY));
        } finally {
            gateway.gateway().context().getRouteController().startRoute("jms-email");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.outbox().get("count").asInt() == 1);
    }

    private JsonNode awaitOutboxEntry(String id) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> outboxEntry(id), entry -> entry != null);
    }

    private JsonNode outboxEntry(String id) throws Exception {
        for (JsonNode entry : gateway.outbox().get("messages")) {
            if (entry.get("id").asText().equals(id)) {
                return entry;
            }
        }
        return null;
    }
}
