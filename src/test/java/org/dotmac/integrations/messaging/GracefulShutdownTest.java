package org.dotmac.integrations.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM while a few hundred accepted emails are queued or in flight: the gateway stops gracefully
 * and exits 0, and once restarted on the same data dir it delivers every one of them.
 */
class GracefulShutdownTest {

    static final int REQUESTS = 300;

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @TempDir
    Path workDir;

    @Test
    void everyAcceptedRequestIsDeliveredAcrossASigtermAndARestart() throws Exception {
        // a provider that takes a while, so that work is queued and in flight when SIGTERM comes
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "slow").withFixedDelay(20));
        int port = TestGateway.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("CAMEL_SERVER_PORT", String.valueOf(port));
        env.put("JMS__EMBEDDED__PORT", String.valueOf(TestGateway.freePort()));
        env.put("GATEWAY__DATA_DIR", workDir.resolve("data").toString());
        env.put("GATEWAY__API_KEYS", TestGateway.API_KEY);
        env.put("EMAIL__PROVIDER", "sendgrid");
        env.put("EMAIL__SENDGRID__BASE_URL", sendgrid.baseUrl());
        env.put("EMAIL__SENDGRID__API_KEY", SendGridDouble.API_KEY);
        env.put("JMS__CONCURRENT_CONSUMERS", "2");

        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        int exitCode;
        try (GatewayProcess first = GatewayProcess.start(env, workDir)) {
            first.awaitReady(port);
            HttpClient http = HttpClient.newHttpClient();
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    int n = i;
                    calls.add(callers.submit(() -> {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/api/v1/notifications/email"))
                                .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"to\":\"ana@example.com\",\"subject\":\"n" + n + "\",\"content\":\"c\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).isEqualTo(202);
                        accepted.add(TestGateway.json(response.body()).get("id").asText());
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get();
                }
            } finally {
                callers.shutdown();
            }
            first.terminate();
            exitCode = first.awaitExit(Duration.ofSeconds(60));
        }
        int deliveredBeforeRestart = deliveredIds().size();

        try (GatewayProcess second = GatewayProcess.start(env, workDir)) {
            second.awaitReady(port);
            await().atMost(Duration.ofSeconds(90)).until(() -> deliveredIds().containsAll(accepted));
        }

        List<String> delivered = deliveredIds();
        long duplicates = delivered.size() - delivered.stream().distinct().count();
        System.out.printf("graceful shutdown: %d accepted, %d delivered before SIGTERM completed, %d after restart, "
                + "%d duplicates%n", accepted.size(), deliveredBeforeRestart, delivered.size() - deliveredBeforeRestart,
                duplicates);
        assertThat(exitCode).as("exit code after SIGTERM").isZero();
        assertThat(accepted).hasSize(REQUESTS);
        assertThat(delivered).containsAll(accepted);
        assertThat(deliveredBeforeRestart).as("SIGTERM came while work was queued").isLessThan(REQUESTS);
    }

    private static List<String> deliveredIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (LoggedRequest request : sendgrid.requests()) {
            JsonNode mail = TestGateway.json(request.getBodyAsString());
            ids.add(mail.at("/personalizations/0/custom_args/gateway_message_id").asText());
        }
        return ids;
    }
}
