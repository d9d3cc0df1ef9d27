package org.dotmac.integrations.storage;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** One behaviour for every storage provider, through the HTTP door and the direct endpoints. */
public abstract class StorageProviderSuite {

    protected abstract TestGateway gateway();

    /** A gateway process's environment for this provider, and what must be closed after the process. */
    public record ProcessStorage(Map<String, String> environment, AutoCloseable resources) {
    }

    /** The provider for a gateway process of its own, storing under {@code work}. */
    protected abstract ProcessStorage processStorage(Path work) throws Exception;

    /** The gateway process's heap in the streaming test, and an object five times its size. */
    protected static final int PROCESS_HEAP_MIB = 64;
    protected static final long STREAMED_OBJECT = 5L * PROCESS_HEAP_MIB * 1024 * 1024;

    @Test
    protected void anObjectFiveTimesTheHeapStreamsUpAndDownIntactWithItsLengthDeclaredOrNot(@TempDir Path work) throws Exception {
        ProcessStorage storage = processStorage(work);
        int port = TestGateway.freePort();
        Map<String, String> env = GatewayProcess.environment(port, work.resolve("data"));
        env.putAll(storage.environment());
        env.put("STORAGE__MAX_OBJECT_SIZE", String.valueOf(2 * STREAMED_OBJECT));
        env.put("JAVA_TOOL_OPTIONS", "-Xmx" + PROCESS_HEAP_MIB + "m");
        try (AutoCloseable resources = storage.resources(); GatewayProcess gateway = GatewayProcess.start(env, work)) {
            gateway.awaitReady(port);
            HttpClient http = HttpClient.newHttpClient();
            for (boolean declared : new boolean[] {true, false}) {
                URI object = URI.create("http://127.0.0.1:" + port + "/api/v1/storage/objects/stream/" + (declared ? "declared" : "chunked"));
                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                HttpRequest.BodyPublisher upload = HttpRequest.BodyPublishers.ofInputStream(
                        () -> new DigestInputStream(new GeneratedBytes(STREAMED_OBJECT, declared ? 11 : 12), sent));
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(object).header("X-API-Key", TestGateway.API_KEY)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(declared ? HttpRequest.BodyPublishers.fromPublisher(upload, STREAMED_OBJECT) : upload)
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).as(declared + ": " + put.body()).isEqualTo(201);

                HttpResponse<InputStream> get = http.send(HttpRequest.newBuilder(object).header("X-API-Key", TestGateway.API_KEY)
                        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(get.statusCode()).isEqualTo(200);
                MessageDigest received = MessageDigest.getInstance("SHA-256");
                long count;
                try (InputStream in = new DigestInputStream(get.body(), received)) {
                    count = in.transferTo(OutputStream.nullOutputStream());
                }
                assertThat(count).isEqualTo(STREAMED_OBJECT);
                assertThat(received.digest()).as("the bytes read back are the bytes stored").isEqualTo(sent.digest());
            }
            assertThat(gateway.output()).doesNotContain("OutOfMemoryError");
            try (var spooled = java.nio.file.Files.list(work.resolve("data").resolve("tmp").resolve("spool"))) {
                assertThat(spooled.toList()).as("spooled uploads are deleted once stored").isEmpty();
            } catch (java.nio.file.NoSuchFileException none) {
                // nothing was spooled
            }
        }
    }

    /** Deterministic bytes that look random, made as they are read: the test holds none of them. */
    static final class GeneratedBytes extends InputStream {
        private final java.util.SplittableRandom random;
        private long left;

        GeneratedBytes(long size, long seed) {
            this.left = size;
            this.random = new java.util.SplittableRandom(seed);
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) random.nextInt(256);
            }
            left -= n;
            return n;
        }
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** storage.max-object-size of the suites' gateways: above the largest object the tests store (12 MiB). */
    protected static final int MAX_OBJECT_SIZE = 16 * 1024 * 1024;

    @Test
    protected void anUploadOverTheSizeLimitIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        byte[] body = randomBytes(MAX_OBJECT_SIZE + 1, 5);

        HttpResponse<byte[]> declared = put("limit/declared.bin", body, Map.of());
        HttpResponse<byte[]> chunked = gateway().sendBytes(gateway().request("/api/v1/storage/objects/limit/chunked.bin")
                .header("X-API-Key", TestGateway.API_KEY)
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());

        for (HttpResponse<byte[]> response : List.of(declared, chunked)) {
            assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(new String(response.body())).contains("storage.max-object-size");
        }
        assertThat(get("limit/declared.bin", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("limit/chunked.bin", Map.of()).statusCode()).isEqualTo(404);
    }

    protected HttpResponse<byte[]> put(String encodedKey, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = gateway().request("/api/v1/storage/objects/" + encodedKey)
                .header("X-API-Key", TestGateway.API_KEY).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return gateway().sendBytes(request.build());
    }

    protected HttpResponse<byte[]> get(String encodedKey, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = gateway().request("/api/v1/storage/objects/" + encodedKey)
                .header("X-API-Key", TestGateway.API_KEY).GET();
        headers.forEach(request::header);
        return gateway().sendBytes(request.build());
    }

    @Test
    protected void binaryRoundTripKeepsContentTypeAndMetadata() throws Exception {
        byte[] body = randomBytes(300_000, 1);
        HttpResponse<byte[]> created = put("reports/2026/q3%20final.bin", body,
                Map.of("Content-Type", "application/x-report", "X-Meta-Owner", "ana", "X-Meta-Trace-Id", "t-1"));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode info = TestGateway.json(new String(created.body()));
        assertThat(info.get("key").asText()).isEqualTo("reports/2026/q3 final.bin");
        assertThat(info.get("size").asLong()).isEqualTo(body.length);
        String etag = created.headers().firstValue("ETag").orElseThrow();
        assertThat(info.get("etag").asText()).isEqualTo(etag);

        HttpResponse<byte[]> read = get("reports/2026/q3%20final.bin", Map.of());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(body);
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/x-report");
        assertThat(read.headers().firstValue("Content-Length")).hasValue(String.valueOf(body.length));
        assertThat(read.headers().firstValue("ETag")).hasValue(etag);
        assertThat(read.headers().firstValue("Last-Modified")).isPresent();
        assertThat(read.headers().firstValue("X-Meta-Owner")).hasValue("ana");
        assertThat(read.headers().firstValue("X-Meta-Trace-Id")).hasValue("t-1");
    }

    @Test
    protected void headGivesTheHeadersWithoutTheBody() throws Exception {
        put("head/object", randomBytes(1234, 2), Map.of("Content-Type", "image/png"));

        HttpResponse<byte[]> head = gateway().sendBytes(gateway().request("/api/v1/storage/objects/head/object")
                .header("X-API-Key", TestGateway.API_KEY).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("1234");
        assertThat(head.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(head.body()).isEmpty();
    }

    @Test
    protected void rangeReadsAnswer206WithContentRange() throws Exception {
        byte[] body = randomBytes(10_000, 3);
        put("ranges/r", body, Map.of());

        HttpResponse<byte[]> middle = get("ranges/r", Map.of("Range", "bytes=100-199"));
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 100, 200));
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 100-199/10000");
        HttpResponse<byte[]> tail = get("ranges/r", Map.of("Range", "bytes=-10"));
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 9_990, 10_000));
        HttpResponse<byte[]> beyond = get("ranges/r", Map.of("Range", "bytes=20000-"));
        assertThat(beyond.statusCode()).isEqualTo(416);
    }

    @Test
    protected void conditionalGetAnswers304ForTheCurrentEtag() throws Exception {
        String etag = put("cond/c", "v1".getBytes(), Map.of()).headers().firstValue("ETag").orElseThrow();

        assertThat(get("cond/c", Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
        put("cond/c", "v2".getBytes(), Map.of());
        HttpResponse<byte[]> changed = get("cond/c", Map.of("If-None-Match", etag));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo("v2".getBytes());
    }

    @Test
    protected void overwriteReplacesTheWholeObject() throws Exception {
        put("over/o", randomBytes(50_000, 4), Map.of("X-Meta-Version", "1"));
        put("over/o", "short".getBytes(), Map.of("Content-Type", "text/plain"));

        HttpResponse<byte[]> read = get("over/o", Map.of());
        assertThat(read.body()).isEqualTo("short".getBytes());
        assertThat(read.headers().firstValue("X-Meta-Version")).isEmpty();
    }

    @Test
    protected void deleteAnswers204ThenTheObjectIsGoneAndASecondDeleteIs404() throws Exception {
        put("del/d", "x".getBytes(), Map.of());
        HttpRequest delete = gateway().request("/api/v1/storage/objects/del/d").header("X-API-Key", TestGateway.API_KEY)
                .DELETE().build();

        assertThat(gateway().send(delete).statusCode()).isEqualTo(204);
        assertThat(get("del/d", Map.of()).statusCode()).isEqualTo(404);
        HttpResponse<String> again = gateway().send(delete);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    protected void listingPagesThroughMoreObjectsThanOnePage() throws Exception {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            String key = "list/item-" + String.format("%02d", i);
            put(key, ("n" + i).getBytes(), Map.of("Content-Type", "text/plain"));
            expected.add(key);
        }
        put("other/x", "x".getBytes(), Map.of());

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> page = gateway().get("/api/v1/storage/objects?prefix=list/&limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = TestGateway.json(page.body());
            body.get("objects").forEach(o -> {
                seen.add(o.get("key").asText());
                assertThat(o.get("size").asLong()).isPositive();
                assertThat(o.get("etag").asText()).isNotBlank();
                assertThat(o.get("lastModified").asText()).isNotBlank();
                assertThat(o.get("contentType").asText()).as(o.toString()).isEqualTo("text/plain");
            });
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(expected.stream().sorted().toList());
    }

    @Test
    protected void invalidKeysAndTraversalAttemptsAre400() throws Exception {
        for (String key : List.of("a/%2e%2e/b", "%2e%2e/escape", "a/./b", "a//b", "a/b/", "%2Fetc%2Fpasswd", "a%00b", "a%0Ab",
                "a%2F..%2Fb", "a%2F%2E%2E%2Fb", "%C3%28")) {
            HttpResponse<byte[]> response = put(key, "x".getBytes(), Map.of());
            assertThat(response.statusCode()).as(key).isEqualTo(400);
            assertThat(new String(response.body())).as(key).contains("\"field\":\"key\"");
        }
        assertThat(put("k".repeat(1025), "x".getBytes(), Map.of()).statusCode()).isEqualTo(400);
    }

    @Test
    protected void doublyEncodedTraversalIsJustAName() throws Exception {
        // %252e%252e decodes once to the three-character names "%2e%2e": a name, not a way out
        HttpResponse<byte[]> created = put("a/%252e%252e/%252e%252e/escaped", "x".getBytes(), Map.of());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(TestGateway.json(new String(created.body())).get("key").asText()).isEqualTo("a/%2e%2e/%2e%2e/escaped");
        assertThat(get("a/%252e%252e/%252e%252e/escaped", Map.of()).body()).isEqualTo("x".getBytes());
    }

    @Test
    protected void concurrentWritersLeaveOneOfTheBodiesNeverAMix() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bodies.add(randomBytes(400_000, 100 + i));
        }
        assertThat(put("race/key", bodies.get(0), Map.of()).statusCode()).isEqualTo(201);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        try {
            // readers all along the writes: each read is one whole body, never a part of one or a mix
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    while (writing.get() || reads == 0) {
                        HttpResponse<byte[]> read = get("race/key", Map.of());
                        assertThat(read.statusCode()).isEqualTo(200);
                        assertThat(bodies).as("a read during the writes").anySatisfy(body -> assertThat(read.body()).isEqualTo(body));
                        reads++;
                    }
                    return reads;
                }));
            }
            List<Future<Integer>> writes = new ArrayList<>();
            for (byte[] body : bodies) {
                Callable<Integer> write = () -> put("race/key", body, Map.of()).statusCode();
                writes.add(pool.submit(write));
            }
            for (Future<Integer> write : writes) {
                assertThat(write.get()).isEqualTo(201);
            }
            writing.set(false);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get()).isPositive();
            }
        } finally {
            writing.set(false);
            pool.shutdown();
        }
        byte[] stored = get("race/key", Map.of()).body();
        assertThat(bodies).anySatisfy(body -> assertThat(stored).isEqualTo(body));
    }

    @Test
    protected void directEndpointsServeJavaCallers() throws Exception {
        var info = (ObjectInfo) gateway().gateway().context().createProducerTemplate().requestBodyAndHeaders(
                "direct:storage-put", "from java".getBytes(),
                Map.of(StorageHeaders.KEY, "java/one", "Content-Type", "text/plain", StorageHeaders.METADATA, Map.of("app", "x")));
        assertThat(info.size()).isEqualTo(9);

        var template = gateway().gateway().context().createProducerTemplate();
        var content = (ObjectContent) template.requestBodyAndHeader("direct:storage-get", null, StorageHeaders.KEY, "java/one");
        try (var body = content.body()) {
            assertThat(body.readAllBytes()).isEqualTo("from java".getBytes());
        }
        assertThat(content.info().metadata()).containsEntry("app", "x");
        var page = (ObjectPage) template.requestBodyAndHeader("direct:storage-list", null, StorageHeaders.PREFIX, "java/");
        assertThat(page.objects()).extracting(ObjectInfo::key).containsExactly("java/one");
        assertThat(template.requestBodyAndHeader("direct:storage-delete", null, StorageHeaders.KEY, "java/one")).isEqualTo(true);
    }
}
