package org.dotmac.integrations.messaging;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idempotency keys on synchronous REST calls and JMS messages: a repeat gets the first answer and
 * sends nothing, in the same instance, after a restart (H2 in the data dir) and on another instance
 * sharing the store (a real PostgreSQL server).
 */
class IdempotentCallsTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings());

    static HttpResponse<String> sendNow(TestGateway gateway, String key, String subject) throws Exception {
        return gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"" + subject + "\",\"content\":\"c\"}", Map.of("Idempotency-Key", key));
    }

    static long sentWithSubject(String subject) {
        return sendgrid.requests().stream().filter(r -> r.getBodyAsString().contains("\"" + subject + "\"")).count();
    }

    @Test
    void aRepeatedKeyGetsTheFirstAnswerAndSendsNothing() throws Exception {
        HttpResponse<String> first = sendNow(gateway, "sync-1", "sync once");
        HttpResponse<String> repeat = sendNow(gateway, "sync-1", "sync once");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(repeat.body())).isEqualTo(TestGateway.json(first.body()));
        assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(sentWithSubject("sync once")).isEqualTo(1);
    }

    @Test
    void aFailedCallFreesItsKeyForTheRetry() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        assertThat(sendNow(gateway, "sync-2", "sync retried").statusCode()).isEqualTo(503);
        sendgrid.accept();
        HttpResponse<String> retry = sendNow(gateway, "sync-2", "sync retried");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(sendNow(gateway, "sync-2", "sync retried").headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void aRepeatWhileTheFirstIsStillBeingSentIs409() throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "slow").withFixedDelay(1500));
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return sendNow(gateway, "sync-3", "sync slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the first is in flight once the provider has it (it answers 1.5 s later)
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> sentWithSubject("sync slow") == 1);
        HttpResponse<String> repeat = sendNow(gateway, "sync-3", "sync slow");
        assertThat(repeat.statusCode()).isEqualTo(409);
        assertThat(repeat.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(sentWithSubject("sync slow")).isEqualTo(1);
    }

    @Test
    void aRepeatedJmsKeyGetsTheFirstReplyAndSendsNothing() throws Exception {
        String body = "{\"to\":\"ana@example.com\",\"subject\":\"jms once\",\"content\":\"c\"}";
        String first = gateway.requestJms("integrations.email", body, Map.of("IdempotencyKey", "jms-1"));
        String repeat = gateway.requestJms("integrations.email", body, Map.of("IdempotencyKey", "jms-1"));

        JsonNode answer = TestGateway.json(first);
        assertThat(answer.get("status").asText()).isEqualTo("sent");
        assertThat(TestGateway.json(repeat)).isEqualTo(answer);
        assertThat(sentWithSubject("jms once")).isEqualTo(1);
    }

    @Test
    void aJmsRepeatWhileTheFirstIsStillBeingSentIsRetriedLaterAndSendsNothing() throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "slow-jms").withFixedDelay(6000));
        String body = "{\"to\":\"ana@example.com\",\"subject\":\"jms slow\",\"content\":\"c\"}";
        ExecutorService requesters = Executors.newFixedThreadPool(2);
        try (LogCapture log = LogCapture.install()) {
            Future<String> first = requesters.submit(() -> gateway.requestJms("integrations.email", body, Map.of("IdempotencyKey", "jms-slow")));
            await().atMost(java.time.Duration.ofSeconds(5)).until(() -> sentWithSubject("jms slow") == 1);
            String repeat = gateway.requestJms("integrations.email", body, Map.of("IdempotencyKey", "jms-slow"));

            // the repeat met the first's claim: retried in place, then parked, answered as queued under the first's id
            JsonNode queued = TestGateway.json(repeat);
            assertThat(log.text()).contains("still being sent");
            assertThat(queued.get("status").asText()).isEqualTo("queued");
            assertThat(log.text()).contains("Parked message " + queued.get("id").asText() + " on integrations.email");
            JsonNode answer = TestGateway.json(first.get(20, TimeUnit.SECONDS));
            assertThat(answer.get("status").asText()).isEqualTo("sent");
            assertThat(answer.get("id").asText()).isEqualTo(queued.get("id").asText());
            // delivered again later, it finds the first's answer and sends nothing
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> log.text().contains(
                    "Message " + answer.get("id").asText() + " repeats an answered request (same IdempotencyKey)"));
            assertThat(sentWithSubject("jms slow")).isEqualTo(1);
        } finally {
            requesters.shutdownNow();
        }
    }

    @Test
    void theStoreSurvivesARestart() throws Exception {
        Path dataDir = Files.createTempDirectory("idempotency-restart");
        Map<String, String> settings = sendgrid.gatewaySettings("gateway.data-dir", dataDir.toString(),
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort());
        String first;
        try (TestGateway before = TestGateway.perClass(settings).startNow()) {
            first = sendNow(before, "restart-1", "sync restart").body();
        }
        try (TestGateway after = TestGateway.perClass(settings).startNow()) {
            HttpResponse<String> repeat = sendNow(after, "restart-1", "sync restart");
            assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(TestGateway.json(repeat.body())).isEqualTo(TestGateway.json(first));
        }
        assertThat(sentWithSubject("sync restart")).isEqualTo(1);
    }

    @Test
    void instancesSharingAPostgresStoreAnswerEachOthersRepeats() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            Map<String, String> settings = sendgrid.gatewaySettings(
                    "idempotency.jdbc-url", postgres.getJdbcUrl("postgres", "postgres"),
                    "idempotency.jdbc-username", "postgres",
                    "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort());
            try (TestGateway one = TestGateway.perClass(settings).startNow();
                 TestGateway two = TestGateway.perClass(settings).startNow()) {
                HttpResponse<String> first = sendNow(one, "shared-1", "sync shared");
                HttpResponse<String> repeat = sendNow(two, "shared-1", "sync shared");
                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
                assertThat(TestGateway.json(repeat.body())).isEqualTo(TestGateway.json(first.body()));
            }
        }
        assertThat(sentWithSubject("sync shared")).isEqualTo(1);
    }

    @Test
    void aBadKeyIs400() throws Exception {
        HttpResponse<String> bad = sendNow(gateway, "has space", "bad key");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Idempotency-Key");
    }
}
