package org.dotmac.integrations.messaging;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An Idempotency-Key belongs to its caller and names one request: two callers' equal keys are two
 * requests, another body under a used key is a 422 naming the key, and the window is a time, after
 * which the key is a new request on every path (not a repeat the broker drops in silence).
 */
class IdempotencyOwnershipTest {

    static final String OTHER_KEY = TestSecrets.GATEWAY_API_KEY_ROTATED;
    static final Duration WINDOW = Duration.ofSeconds(3);

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "gateway.api-keys", TestGateway.API_KEY + "," + OTHER_KEY, "idempotency.window", WINDOW.toSeconds() + "s"));

    static HttpResponse<String> post(String apiKey, String path, String key, String subject, Map<String, String> more)
            throws Exception {
        HttpRequest.Builder request = gateway.request(path).header("X-API-Key", apiKey).header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"ana@example.com\",\"subject\":\"" + subject + "\",\"content\":\"c\"}"));
        more.forEach(request::header);
        return gateway.send(request.build());
    }

    static HttpResponse<String> queue(String apiKey, String key, String subject) throws Exception {
        return post(apiKey, "/api/v1/notifications/email", key, subject, Map.of());
    }

    static HttpResponse<String> sendNow(String apiKey, String key, String subject) throws Exception {
        return post(apiKey, "/api/v1/notifications/email?wait=true", key, subject, Map.of());
    }

    static long sent(String subject) {
        return sendgrid.requests().stream().filter(r -> r.getBodyAsString().contains("\"" + subject + "\"")).count();
    }

    static String id(HttpResponse<String> response) throws Exception {
        return TestGateway.json(response.body()).get("id").asText();
    }

    @Test
    void theSameKeyFromTwoCallersIsTwoRequests() throws Exception {
        HttpResponse<String> mine = queue(TestGateway.API_KEY, "shared-1", "two callers queued");
        HttpResponse<String> theirs = queue(OTHER_KEY, "shared-1", "two callers queued");
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(202);
        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(202);
        assertThat(id(theirs)).isNotEqualTo(id(mine));
        assertThat(theirs.headers().firstValue("Idempotent-Replayed")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> sent("two callers queued") == 2);

        assertThat(sendNow(TestGateway.API_KEY, "shared-2", "two callers sync").statusCode()).isEqualTo(200);
        assertThat(sendNow(OTHER_KEY, "shared-2", "two callers sync").statusCode()).isEqualTo(200);
        assertThat(sent("two callers sync")).isEqualTo(2);
    }

    @Test
    void aCallerCannotNameItselfAnotherCaller() throws Exception {
        HttpResponse<String> theirs = queue(OTHER_KEY, "spoofed-1", "spoof");
        assertThat(theirs.statusCode()).isEqualTo(202);
        // the gatekeeper names the caller from the key; a header of that name from the request is dropped
        for (String claimed : new String[] {"local", "key-00000000"}) {
            HttpResponse<String> mine = post(TestGateway.API_KEY, "/api/v1/notifications/email", "spoofed-1", "spoof",
                    Map.of("GatewayCaller", claimed));
            assertThat(id(mine)).isNotEqualTo(id(theirs));
        }
    }

    @Test
    void aJmsSenderCannotNameItsOwnUserWhileTheBrokerIsNotTrustedToSetIt() throws Exception {
        String body = "{\"to\":\"ana@example.com\",\"subject\":\"jms as alice\",\"content\":\"c\"}";
        JsonNode alice = TestGateway.json(gateway.requestJms("integrations.email", body,
                Map.of("IdempotencyKey", "user-1", "JMSXUserID", "alice")));
        JsonNode bob = TestGateway.json(gateway.requestJms("integrations.email", body,
                Map.of("IdempotencyKey", "user-1", "JMSXUserID", "bob")));
        assertThat(bob).isEqualTo(alice);
        assertThat(sent("jms as alice")).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422NamingTheKey() throws Exception {
        assertThat(queue(TestGateway.API_KEY, "body-1", "first body").statusCode()).isEqualTo(202);
        assertThat(sendNow(TestGateway.API_KEY, "body-2", "first body sync").statusCode()).isEqualTo(200);
        for (HttpResponse<String> changed : java.util.List.of(queue(TestGateway.API_KEY, "body-1", "another body"),
                sendNow(TestGateway.API_KEY, "body-2", "another body sync"))) {
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(422);
            assertThat(changed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = TestGateway.json(changed.body());
            assertThat(problem.at("/errors/0/field").asText()).isEqualTo("Idempotency-Key");
        }
        String body = "{\"to\":\"ana@example.com\",\"subject\":\"jms first body\",\"content\":\"c\"}";
        assertThat(TestGateway.json(gateway.requestJms("integrations.email", body, Map.of("IdempotencyKey", "body-3")))
                .get("status").asText()).isEqualTo("sent");
        JsonNode refused = TestGateway.json(gateway.requestJms("integrations.email", body.replace("first", "other"),
                Map.of("IdempotencyKey", "body-3")));
        assertThat(refused.get("status").asInt()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.at("/errors/0/field").asText()).isEqualTo("IdempotencyKey");
        assertThat(sent("another body")).isZero();
        assertThat(sent("another body sync")).isZero();
        assertThat(sent("jms other body")).isZero();
    }

    @Test
    void aKeyRepeatedAfterTheWindowIsANewRequestOnEveryPath() throws Exception {
        HttpResponse<String> first = queue(TestGateway.API_KEY, "window-1", "window queued");
        HttpResponse<String> repeat = queue(TestGateway.API_KEY, "window-1", "window queued");
        assertThat(repeat.statusCode()).isEqualTo(202);
        assertThat(id(repeat)).isEqualTo(id(first));
        assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(sendNow(TestGateway.API_KEY, "window-2", "window sync").statusCode()).isEqualTo(200);
        assertThat(sendNow(TestGateway.API_KEY, "window-2", "window sync").headers().firstValue("Idempotent-Replayed")).hasValue("true");
        await().atMost(Duration.ofSeconds(10)).until(() -> sent("window queued") == 1);

        // the window is a time: let it pass
        Thread.sleep(WINDOW.plusMillis(500).toMillis());

        HttpResponse<String> later = queue(TestGateway.API_KEY, "window-1", "window queued");
        assertThat(later.statusCode()).isEqualTo(202);
        assertThat(later.headers().firstValue("Idempotent-Replayed")).isEmpty();
        HttpResponse<String> laterSync = sendNow(TestGateway.API_KEY, "window-2", "window sync");
        assertThat(laterSync.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(sent("window sync")).isEqualTo(2);
        // accepted after the window: delivered, not dropped by the broker as a repeat of the first
        await().atMost(Duration.ofSeconds(10)).until(() -> sent("window queued") == 2);
    }
}
