package org.dotmac.integrations.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large legitimate requests at once against a small heap: each is answered (202 for what fits, 503
 * with Retry-After for the rest, before its body is read), never a 500 or an OutOfMemoryError, and the
 * liveness probe keeps answering.
 */
class LargeRequestsTest {

    private static final int CALLERS = Integer.getInteger("largeRequests.callers", 40);

    @Test
    void fortyConcurrent29MegabyteEmailsAtA256MegabyteHeapAreEachAnsweredAndNoneRunsTheHeapOut(@TempDir Path dir)
            throws Exception {
        int port = TestGateway.freePort();
        Map<String, String> env = new java.util.HashMap<>(GatewayProcess.environment(port, dir.resolve("data")));
        env.put("JAVA_TOOL_OPTIONS", "-Xmx256m");
        // the accept path only: this test is about what the HTTP door buffers
        env.put("JMS__CONSUMERS_ENABLED", "false");
        try (GatewayProcess gateway = GatewayProcess.start(env, dir)) {
            gateway.awaitReady(port);
            byte[] body = email();
            assertThat(body.length).as("the body").isBetween(29_000_000, 31_000_000);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<Long> liveness = new CopyOnWriteArrayList<>();
            AtomicBoolean probing = new AtomicBoolean(true);
            Thread prober = Thread.ofVirtual().start(() -> {
                while (probing.get()) {
                    long start = System.nanoTime();
                    try {
                        int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/live"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                        liveness.add(status == 200 ? (System.nanoTime() - start) / 1_000_000 : -status);
                        Thread.sleep(200);
                    } catch (Exception e) {
                        liveness.add(-1L);
                    }
                }
            });
            List<String> answers = new ArrayList<>();
            try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<String>> calls = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    calls.add(callers.submit(() -> {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/notifications/email"))
                                .timeout(Duration.ofSeconds(120))
                                .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                        return response.statusCode() + (response.statusCode() == 503
                                ? " retry-after=" + response.headers().firstValue("Retry-After").orElse("none") : "");
                    }));
                }
                for (Future<String> call : calls) {
                    try {
                        answers.add(call.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        // a connection closed after a 503 while the request was still being written
                        answers.add("io: " + e.getCause().getClass().getSimpleName());
                    }
                }
            }
            probing.set(false);
            prober.join();
            System.out.println("LargeRequestsTest: answers " + answers.stream()
                    .collect(java.util.stream.Collectors.groupingBy(a -> a, java.util.TreeMap::new, java.util.stream.Collectors.counting()))
                    + ", liveness ms " + liveness + "; the gateway's warnings:\n" + gateway.output().lines()
                    .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Error") || l.contains("\tat ")).limit(60)
                    .map(l -> l.length() > 400 ? l.substring(0, 400) : l).collect(java.util.stream.Collectors.joining("\n")));

            assertThat(answers).as("each answer").hasSize(CALLERS)
                    .allMatch(a -> a.equals("202") || a.equals("503 retry-after=1") || a.startsWith("io: "));
            assertThat(answers).as("accepted").contains("202");
            assertThat(answers.stream().filter(a -> a.startsWith("io: ")).count()).as("refused by a closed connection")
                    .isLessThanOrEqualTo(answers.stream().filter(a -> !a.equals("202")).count());
            assertThat(liveness).as("liveness answers (ms), each within 5 s").isNotEmpty().allMatch(ms -> ms >= 0);
            assertThat(gateway.output()).doesNotContain("OutOfMemoryError");
            // and it still serves
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/notifications/email"))
                    .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(202);
        }
    }

    /** A 29 MB email: 21 MiB attachment (28 MiB as base64) and some text, within the documented 30 MB. */
    private static byte[] email() {
        byte[] attachment = new byte[21 * 1024 * 1024];
        new java.util.Random(19).nextBytes(attachment);
        String content = "x".repeat(500_000);
        String json = "{\"to\":\"ana@example.com\",\"subject\":\"large\",\"content\":\"" + content + "\",\"attachments\":[{"
                + "\"content\":\"" + Base64.getEncoder().encodeToString(attachment) + "\",\"filename\":\"big.bin\"}]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
