package org.dotmac.integrations.api;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.BadJson;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests at every REST operation, generated (seeded, so a failure repeats) and
 * hand-written: each answer is a 4xx problem+json body naming what is wrong, none is a 5xx, and
 * the gateway keeps serving. Search points at an engine that is not there: a malformed request must
 * be refused before any engine is asked.
 */
class MalformedRequestsTest {

    static final long SEED = 20261128L;

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(BadJson.EVERY_INTEGRATION_NO_ENGINE);

    static final Map<String, Integer> casesPerOperation = new LinkedHashMap<>();
    static final List<String> notHttp = new ArrayList<>();

    /** One malformed request; {@code names} is a part of the problem body that says what is wrong. */
    record Case(String name, String method, String path, String contentType, byte[] body, String names) {

        static Case json(String name, String method, String path, String body, String names) {
            return new Case(name, method, path, "application/json", body.getBytes(StandardCharsets.UTF_8), names);
        }

        String operation() {
            return method + " " + path.replaceAll("\\?.*", "").replaceAll("/objects/.*", "/objects/{key}")
                    .replaceAll("/indexes/[^/]*", "/indexes/{index}").replaceAll("/documents/(?!_bulk)[^/]+$", "/documents/{id}")
                    .replaceAll("/dead-letters/[^/]+", "/dead-letters/{id}").replaceAll("/integrations/.+", "/integrations/{name}")
                    .replaceAll("^/api/v1/notifications/(?!email$|sms$)[^/]+$", "/api/v1/notifications/{id}");
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        Random random = new Random(SEED);
        notifications(cases, random);
        storage(cases, random);
        search(cases, random);
        others(cases);
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyMalformedRequestGetsA4xxProblemNamingWhatIsWrong() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.operation() + ": " + c.name(), () -> {
            Answer response = send(c);
            casesPerOperation.merge(c.operation(), 1, Integer::sum);

            assertThat(response.status()).as(c.name() + ": " + response.body()).isBetween(400, 499);
            if (!isUri(c.path())) {
                // not HTTP at all (a space in the request line, a broken %-escape): the HTTP server refuses
                // it with a bare 400 before any handler of ours runs (documented in docs/RELIABILITY.md)
                assertThat(response.status()).isEqualTo(400);
                notHttp.add(c.name());
                return;
            }
            assertThat(response.contentType()).isEqualTo("application/problem+json");
            if (c.method().equals("HEAD")) {
                return;
            }
            JsonNode problem = TestGateway.json(response.body());
            assertThat(problem.get("status").asInt()).isEqualTo(response.status());
            assertThat(problem.path("title").asText()).isNotBlank();
            // named as a field of errors[], or as a whole word of the detail: "id" must not pass on "invalid"
            List<String> fields = problem.path("errors").findValuesAsText("field");
            boolean named = fields.contains(c.names()) || java.util.regex.Pattern.compile(
                    "(?<!\\w)" + java.util.regex.Pattern.quote(c.names()) + "(?!\\w)").matcher(problem.path("detail").asText()).find();
            assertThat(named).as("the problem names " + c.names() + ": " + response.body()).isTrue();
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }));
    }

    @Test
    void theGatewayStillServesAfterTheMalformedRequests() throws Exception {
        for (Case c : cases().subList(0, 40)) {
            send(c);
        }
        HttpResponse<String> live = gateway.get("/observe/health/live");
        HttpResponse<String> valid = gateway.send(gateway.request("/api/v1/notifications/email?wait=true")
                .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\"}")).build());

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
    }

    @Test
    void coversEveryRestOperationWithAtLeast150Cases() throws Exception {
        List<Case> cases = cases();
        // the provider webhooks are not behind API keys: their bad input is tried by each provider's webhook test
        List<String> bodyOperations = org.dotmac.integrations.support.OpenApiOperations.all().stream()
                .filter(o -> o.keyed() && (o.node().has("requestBody") || o.node().has("parameters") || o.path().contains("{")))
                .map(org.dotmac.integrations.support.OpenApiOperations.Operation::name).toList();
        List<String> covered = cases.stream().map(Case::operation).distinct().toList();

        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        assertThat(bodyOperations).as("operations that take input, covered by " + covered).isSubsetOf(covered);
    }

    @AfterAll
    static void printCoverage() {
        int total = casesPerOperation.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("malformed REST requests (seed %d): %d over %d operations %s%n", SEED, total,
                casesPerOperation.size(), casesPerOperation);
        System.out.printf("%d of them are no valid request target, refused by the HTTP server with a bare 400 "
                + "(no problem body is possible before routing): %s%n", notHttp.size(), notHttp);
    }

    // --- the cases ---------------------------------------------------------------------------------

    private static void notifications(List<Case> cases, Random random) {
        Map<String, String> valid = Map.of(
                "/api/v1/notifications/email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"cc\":\"c@b.com\",\"bcc\":[\"d@b.com\"],\"replyTo\":\"r@b.com\"}",
                "/api/v1/notifications/sms", "{\"to\":\"+14155550100\",\"message\":\"m\"}",
                "/api/v1/notifications", "{\"type\":\"sms\",\"recipient\":\"+14155550100\",\"message\":\"m\"}");
                for (Map.Entry<String, String> operation : valid.entrySet()) {
            String path = operation.getKey();
            JsonNode body = BadJson.parse(operation.getValue());
            // every field with every wrong type (generated from the valid body)
            body.properties().forEach(field -> {
                for (String wrong : BadJson.WRONG_TYPES) {
                    if (field.getKey().equals("type") && wrong.equals("true")) {
                        continue;
                    }
                    cases.add(Case.json(field.getKey() + " as " + wrong, "POST", path,
                            BadJson.replace(operation.getValue(), field.getKey(), wrong), field.getKey()));
                }
                // header injection: CR/LF (raw, escaped, Unicode line separators) in every text field
                for (String breaker : BadJson.LINE_BREAKERS) {
                    String text = BadJson.text(operation.getValue(), field.getKey());
                    // a message body may hold line breaks, but no NUL and no half surrogate
                    boolean isBody = field.getKey().equals("message") || field.getKey().equals("content");
                    if (field.getKey().equals("type") || (isBody && !BadJson.NO_TEXT.contains(breaker))) {
                        continue;
                    }
                    cases.add(Case.json(field.getKey() + " with " + breaker, "POST", path,
                            BadJson.replace(operation.getValue(), field.getKey(), "\"" + text + breaker + "\""), field.getKey()));
                }
            });
            // each required field missing
            for (String required : List.of("to", "subject", "content", "message", "recipient", "type")) {
                if (body.has(required) && !(path.endsWith("/email") && required.equals("message"))) {
                    cases.add(Case.json("without " + required, "POST", path, BadJson.remove(operation.getValue(), required), required));
                }
            }
            // huge fields: past every length limit (the body itself stays under the 42 MiB limit)
            String huge = "x".repeat(2_000_000 + random.nextInt(1000));
            String hugeField = path.endsWith("/email") ? "subject" : "message";
            cases.add(Case.json("huge " + hugeField, "POST", path, BadJson.replace(operation.getValue(), hugeField, "\"" + huge + "\""), hugeField));
            cases.add(Case.json("body over the size limit", "POST", path, "{\"to\":\"" + "y".repeat(45_000_000) + "\"}", "max-body-size"));
            // not JSON, truncated, deeply nested, invalid UTF-8, not an object
            cases.add(Case.json("truncated JSON", "POST", path, operation.getValue().substring(0, 10 + random.nextInt(10)), "JSON"));
            cases.add(Case.json("nested 5,000 deep", "POST", path, BadJson.nested(5000), "body"));
            cases.add(Case.json("object nested 2,000 deep in a field", "POST", path,
                    BadJson.replace(operation.getValue(), body.fieldNames().next(), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000)), body.fieldNames().next()));
            cases.add(new Case("invalid UTF-8 in a string", "POST", path, "application/json",
                    BadJson.withInvalidUtf8(operation.getValue(), random), "UTF-8"));
            cases.add(Case.json("a JSON array", "POST", path, "[" + operation.getValue() + "]", "body"));
            cases.add(Case.json("a JSON string", "POST", path, "\"hello\"", "body"));
            cases.add(Case.json("empty body", "POST", path, "", "body"));
            cases.add(Case.json("wait=maybe", "POST", path + "?wait=maybe", operation.getValue(), "wait"));
            // wrong content types
            for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                    "application/x-www-form-urlencoded", "application/json-seq; charset=utf-8")) {
                cases.add(new Case("Content-Type " + type, "POST", path, type,
                        operation.getValue().getBytes(StandardCharsets.UTF_8), "Content-Type"));
            }
        }
    }

    private static void storage(List<Case> cases, Random random) {
        List<String> badKeys = new ArrayList<>(List.of("..", "../etc/passwd", "a/../../b", "%2e%2e/escape", "a/%2e%2e/%2e%2e/b",
                "..%2fescape", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2fabsolute", "a//b", "a/b/", "a/./b", ".",
                "a%00b", "a%0d%0aX-Injected:%201", "a%7fb", "%c2%85next-line", "%ff%fe", "%c3", "a%2", "a%zzb",
                "k".repeat(1025), "%e2%82%ac".repeat(342)));
        for (int i = 0; i < 6; i++) {
            // random keys with a '..' segment somewhere, in plain or encoded spelling
            StringBuilder key = new StringBuilder();
            int depth = 1 + random.nextInt(4);
            for (int d = 0; d < depth; d++) {
                key.append(random.nextBoolean() ? "seg" + random.nextInt(100) : "..").append('/');
            }
            key.append(random.nextBoolean() ? ".." : "%2e%2e");
            badKeys.add(key.toString());
        }
        for (String key : badKeys) {
            String path = "/api/v1/storage/objects/" + key;
            cases.add(new Case("key " + abbreviate(key), "PUT", path, "text/plain", "data".getBytes(StandardCharsets.UTF_8), "key"));
            cases.add(new Case("key " + abbreviate(key), "GET", path, null, null, "key"));
        }
        for (String key : List.of("../x", "a/../../b", "%2fabs", "a%00b")) {
            cases.add(new Case("key " + key, "HEAD", "/api/v1/storage/objects/" + key, null, null, "key"));
            cases.add(new Case("key " + key, "DELETE", "/api/v1/storage/objects/" + key, null, null, "key"));
        }
        for (String limit : List.of("0", "-1", "abc", "1001", "1e3", "99999999999999999999")) {
            cases.add(new Case("limit " + limit, "GET", "/api/v1/storage/objects?limit=" + limit, null, null, "limit"));
        }
        for (String prefix : List.of("../", "a/../..", "%2fabs", "a%00")) {
            cases.add(new Case("prefix " + prefix, "GET", "/api/v1/storage/objects?prefix=" + prefix, null, null, "prefix"));
        }
        cases.add(new Case("cursor garbage", "GET", "/api/v1/storage/objects?cursor=%25%25%25", null, null, "cursor"));
    }

    private static void search(List<Case> cases, Random random) {
        List<String> badIndexes = new ArrayList<>(List.of("UPPER", "with space", "star*", "comma,list", "_leading",
                "-leading", "dot.dot", "%2e%2e", "back%5cslash", "quote%22", "hash%23x", "emoji%f0%9f%98%80",
                "i".repeat(129), "%00", "ümlaut", "a%2fb"));
        String alphabet = "ABCXYZ*,\"<>|?#:\\ !$&'()+;=@[]^`{}~";
        for (int i = 0; i < 10; i++) {
            // random names, each with at least one character no engine accepts
            StringBuilder name = new StringBuilder("idx");
            name.insert(random.nextInt(name.length() + 1), alphabet.charAt(random.nextInt(alphabet.length())));
            badIndexes.add(java.net.URLEncoder.encode(name.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        for (String index : badIndexes) {
            String base = "/api/v1/search/indexes/" + index;
            // a dot segment is resolved away before routing (RFC 3986): what remains is no resource
            String names = index.equals("%2e%2e") ? "no resource" : "index";
            cases.add(Case.json("index " + abbreviate(index), "PUT", base + "/documents/d1", "{\"a\":1}", names));
            cases.add(Case.json("index " + abbreviate(index), "POST", base + "/query", "{\"q\":\"x\"}", names));
        }
        for (String index : List.of("UPPER", "a%2fb", "_x", "i".repeat(129))) {
            String base = "/api/v1/search/indexes/" + index;
            cases.add(new Case("index " + abbreviate(index), "GET", base + "/documents/d1", null, null, "index"));
            cases.add(new Case("index " + abbreviate(index), "DELETE", base + "/documents/d1", null, null, "index"));
            cases.add(Case.json("index " + abbreviate(index), "POST", base + "/documents", "{\"a\":1}", "index"));
            cases.add(Case.json("index " + abbreviate(index), "POST", base + "/documents/_bulk", "[{\"id\":\"a\"}]", "index"));
        }
        String base = "/api/v1/search/indexes/products";
        for (String id : List.of("_id", "-x", "with%20space", "a.b", "a%2fb", "i".repeat(512), "%c3%bc", "a%00")) {
            cases.add(Case.json("id " + abbreviate(id), "PUT", base + "/documents/" + id, "{\"a\":1}", "id"));
            cases.add(new Case("id " + abbreviate(id), "GET", base + "/documents/" + id, null, null, "id"));
            cases.add(new Case("id " + abbreviate(id), "DELETE", base + "/documents/" + id, null, null, "id"));
        }
        for (String document : List.of("[1,2]", "\"text\"", "42", "null", "", "{\"id\":\"other\"}", "{\"a\":", BadJson.nested(3000))) {
            cases.add(Case.json("document " + abbreviate(document), "PUT", base + "/documents/d1", document, "body"));
        }
        for (String document : List.of("[1]", "{\"id\":\"_bad\"}", "{\"id\":[1]}")) {
            cases.add(Case.json("document " + document, "POST", base + "/documents", document, document.contains("id") ? "id" : "body"));
        }
        String[][] bulks = {
                {"{}", "body"},
                {"[]", "body"},
                {"[1,2]", "body[0]"},
                {"[{\"a\":1}]", "body[0]"},
                {"[{\"id\":\"_x\"}]", "body[0]"},
                {"[{\"id\":\"\"}, null]", "body[1]"},
                {"\"x\"", "body"}};
        for (String[] bulk : bulks) {
            cases.add(Case.json("bulk " + bulk[0], "POST", base + "/documents/_bulk", bulk[0], bulk[1]));
        }
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"id\":\"d").append(i).append("\"}");
        }
        cases.add(Case.json("bulk of 1,001 documents", "POST", base + "/documents/_bulk", tooMany.append(']').toString(), "1000"));
        String[][] queries = {
                {"{\"q\":42}", "q"},
                {"{\"size\":-1}", "size"},
                {"{\"size\":101}", "size"},
                {"{\"size\":\"ten\"}", "size"},
                {"{\"from\":-5}", "from"},
                {"{\"from\":1.5}", "from"},
                {"{\"filters\":[1]}", "filters"},
                {"{\"filters\":{\"a\":{\"b\":1}}}", "filters.a"},
                {"{\"sort\":42}", "sort"},
                {"{\"sort\":[{\"a\":\"sideways\"}]}", "sort"},
                {"{\"unknwon\":1}", "unknwon"},
                {"[]", "body"},
                {"{\"q\":\"x\"", "body"},
                {"{\"filters\":{\"bad field\":1}}", "filters.bad field"}};
        for (String[] query : queries) {
            cases.add(Case.json("query " + query[0], "POST", base + "/query", query[0], query[1]));
        }
        for (String refresh : List.of("maybe", "1", "yes")) {
            cases.add(Case.json("refresh=" + refresh, "PUT", base + "/documents/d1?refresh=" + refresh, "{\"a\":1}", "refresh"));
            cases.add(new Case("refresh=" + refresh, "DELETE", base + "/documents/d1?refresh=" + refresh, null, null, "refresh"));
            cases.add(Case.json("refresh=" + refresh, "POST", base + "/documents?refresh=" + refresh, "{\"a\":1}", "refresh"));
            cases.add(Case.json("refresh=" + refresh, "POST", base + "/documents/_bulk?refresh=" + refresh, "[{\"id\":\"a\"}]", "refresh"));
        }
        cases.add(new Case("document as text/plain", "PUT", base + "/documents/d1", "text/plain", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "Content-Type"));
        cases.add(new Case("invalid UTF-8 in a document", "PUT", base + "/documents/d1", "application/json",
                BadJson.withInvalidUtf8("{\"a\":\"b\"}", random), "UTF-8"));
    }

    private static void others(List<Case> cases) {
        for (String id : List.of("not-an-id", "..%2f..%2fetc", "ID:" + "9".repeat(300), "%00", "ID:%0d%0aX:1")) {
            cases.add(new Case("id " + abbreviate(id), "GET", "/api/v1/dead-letters/" + id, null, null, "id"));
            cases.add(new Case("id " + abbreviate(id), "DELETE", "/api/v1/dead-letters/" + id, null, null, "id"));
            cases.add(new Case("id " + abbreviate(id), "POST", "/api/v1/dead-letters/" + id + "/replay", null, null, "id"));
        }
        for (String limit : List.of("0", "-3", "lots", "100000")) {
            cases.add(new Case("limit " + limit, "GET", "/api/v1/dead-letters?limit=" + limit, null, null, "limit"));
        }
        for (String id : List.of("a".repeat(65), "..%2f..%2fetc", "%00", "ID:abc", "x%0d%0aY:1", "%C3%A9t%C3%A9")) {
            cases.add(new Case("notification id " + abbreviate(id), "GET", "/api/v1/notifications/" + id, null, null, "id"));
        }
        for (String query : List.of("status=lost", "status=SENT", "type=fax", "since=yesterday", "since=2026-13-01T00:00:00Z",
                "limit=0", "limit=101", "limit=ten", "cursor=%25%25", "cursor=bm90LWEtY3Vyc29y")) {
            cases.add(new Case("listing " + query, "GET", "/api/v1/notifications?" + query, null, null, query.split("=")[0]));
        }
        cases.add(new Case("id ..", "GET", "/api/v1/search/indexes/products/documents/%2e%2e", null, null, "no resource"));
        for (String name : List.of("fax", "..%2femail", "e-mail", "email%00")) {
            cases.add(new Case("name " + name, "GET", "/api/v1/integrations/" + name, null, null, "integration"));
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    record Answer(int status, String contentType, String body) {
    }

    /** Through the JDK's client, or over a raw socket for a path that client refuses to send (broken escapes, spaces). */
    private static boolean isUri(String path) {
        try {
            URI.create(path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Answer send(Case c) throws Exception {
        if (!isUri(c.path())) {
            return sendRaw(c);
        }
        URI uri = URI.create("http://127.0.0.1:" + gateway.httpPort() + c.path());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("X-API-Key", TestGateway.API_KEY);
        if (c.contentType() != null) {
            builder.header("Content-Type", c.contentType());
        }
        HttpResponse<String> response = gateway.send(builder.method(c.method(), c.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body())).build());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private static Answer sendRaw(Case c) throws Exception {
        byte[] body = c.body() == null ? new byte[0] : c.body();
        try (Socket socket = new Socket("127.0.0.1", gateway.httpPort())) {
            socket.setSoTimeout(20_000);
            String head = c.method() + " " + c.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + TestGateway.API_KEY
                    + "\r\n" + (c.contentType() == null ? "" : "Content-Type: " + c.contentType() + "\r\n")
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String[] lines = answer.substring(0, end).split("\r\n");
            String contentType = "";
            boolean chunked = false;
            for (String line : lines) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    contentType = line.substring(13).trim();
                }
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            String rest = answer.substring(end + 4);
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), contentType, chunked ? dechunk(rest) : rest);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }





    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 20) + "...(" + text.length() + ")" : text;
    }
}
