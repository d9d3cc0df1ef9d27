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
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    /**
     * The consuming side: six 29 MB emails queued at once for four consumers, each of which would hold
     * several copies of its email while turning it into a SendGrid call (SendGrid taking 2 s to answer);
     * then two more over REST while they are busy, repeated on 503. Every one is delivered once, nothing
     * is dead-lettered and the heap holds.
     */
    @Test
    void queued29MegabyteEmailsAreEachDeliveredOnceByFourConsumersAtA256MegabyteHeap(@TempDir Path dir) throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "sg-large").withFixedDelay(2000));
        int port = TestGateway.freePort();
        Map<String, String> env = new java.util.HashMap<>(GatewayProcess.environment(port, dir.resolve("data")));
        env.putAll(sendgrid.gatewayEnvironment());
        env.put("JAVA_TOOL_OPTIONS", "-Xmx256m");
        env.put("JMS__CONCURRENT_CONSUMERS", "4");
        try (GatewayProcess gateway = GatewayProcess.start(env, dir)) {
            gateway.awaitReady(port);
            byte[] body = email();
            List<String> ids = new ArrayList<>();
            var factory = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                    "tcp://127.0.0.1:" + env.get("JMS__EMBEDDED__PORT"));
            try (jakarta.jms.Connection connection = factory.createConnection()) {
                jakarta.jms.Session session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                var producer = session.createProducer(session.createQueue("integrations.email"));
                for (int i = 0; i < 6; i++) {
                    jakarta.jms.BytesMessage message = session.createBytesMessage();
                    message.writeBytes(body);
                    String id = "large-jms-" + i;
                    message.setStringProperty("NotificationId", id);
                    producer.send(message);
                    ids.add(id);
                }
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<String> refusals = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (true) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/notifications/email"))
                            .timeout(Duration.ofSeconds(60))
                            .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        ids.add(TestGateway.JSON.readTree(response.body()).path("id").asText());
                        break;
                    }
                    assertThat(response.statusCode()).as("a refusal while the consumers hold the budget: " + response.body())
                            .isEqualTo(503);
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                    refusals.add("503");
                    assertThat(System.nanoTime()).as("accepted within 120 s").isLessThan(deadline);
                    // as a caller does: repeat after the Retry-After the gateway asked for
                    Thread.sleep(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()) * 1000);
                }
            }
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(gateway.output()).doesNotContain("OutOfMemoryError");
                assertThat(sendgrid.acceptedIds()).as("emails SendGrid took").containsAll(ids);
            });
            System.out.println("LargeRequestsTest: " + ids.size() + " large emails delivered; REST refusals while busy: "
                    + refusals.size());
            assertThat(sendgrid.acceptedIds()).as("each delivered once").hasSize(ids.size()).doesNotHaveDuplicates();
            assertThat(gateway.output()).doesNotContain("OutOfMemoryError").doesNotContain("Moved a message from");
            var letters = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/dead-letters"))
                    .header("X-API-Key", TestGateway.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(letters.statusCode()).isEqualTo(200);
            var deadLetters = TestGateway.JSON.readTree(letters.body()).path("deadLetters");
            assertThat(deadLetters.isArray()).as("the listing: " + letters.body()).isTrue();
            assertThat(deadLetters).as("dead letters").isEmpty();
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
