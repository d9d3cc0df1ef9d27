package org.dotmac.integrations.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The same Idempotency-Key twice, before and after a restart: the same id, one email sent. */
class IdempotencyTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @TempDir
    Path workDir;

    @Test
    void aRepeatedKeyGetsTheFirstIdAndSendsNothingAgainEvenAfterARestart() throws Exception {
        int port = TestGateway.freePort();
        Map<String, String> env = GatewayProcess.environment(port, workDir.resolve("data"));
        env.putAll(sendgrid.gatewayEnvironment());
        // one consumer: messages are handled in order, so "the next one arrived" proves the repeat did not
        env.put("JMS__CONCURRENT_CONSUMERS", "1");

        String firstId;
        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            gateway.awaitReady(port);
            HttpResponse<String> first = send(port, "order-4711", "once");
            HttpResponse<String> again = send(port, "order-4711", "once");
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(again.statusCode()).isEqualTo(202);
            firstId = TestGateway.json(first.body()).get("id").asText();
            assertThat(TestGateway.json(again.body()).get("id").asText()).isEqualTo(firstId);
            String marker = TestGateway.json(send(port, "order-4712", "marker").body()).get("id").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.deliveredIds().contains(marker));
            gateway.terminate();
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isZero();
        }
        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            gateway.awaitReady(port);
            HttpResponse<String> afterRestart = send(port, "order-4711", "once");
            assertThat(TestGateway.json(afterRestart.body()).get("id").asText()).isEqualTo(firstId);
            String marker = TestGateway.json(send(port, "order-4713", "marker").body()).get("id").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.deliveredIds().contains(marker));
        }
        assertThat(Collections.frequency(sendgrid.deliveredIds(), firstId)).as("emails sent for order-4711").isEqualTo(1);
    }

    private static HttpResponse<String> send(int port, String key, String subject) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/notifications/email"))
                .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"to\":\"ana@example.com\",\"subject\":\"" + subject + "\",\"content\":\"c\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
