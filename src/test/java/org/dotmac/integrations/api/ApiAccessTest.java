package org.dotmac.integrations.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every /api route asks for an API key; /observe stays open to probes; keys never reach logs or answers. */
class ApiAccessTest {

    static final String WRONG_KEY = TestSecrets.GATEWAY_API_KEY_WRONG;

    /** Installed before the gateway starts (fields initialise in order), so its whole log is seen. */
    static final LogCapture logs = LogCapture.install();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass();

    @AfterAll
    static void noKeyInTheLog() {
        logs.close();
        assertThat(logs.text()).as("the gateway's log").contains("Apache Camel")
                .doesNotContain(TestGateway.API_KEY).doesNotContain(WRONG_KEY);
    }

    /**
     * Every operation of the published OpenAPI document (path parameters filled with sample values),
     * so an operation added to the document is covered here without editing this list; plus a
     * traversal attempt and a path that is no operation.
     */
    static List<HttpRequest.Builder> everyApiOperation() throws IOException {
        List<HttpRequest.Builder> requests = new ArrayList<>();
        for (var operation : org.dotmac.integrations.support.OpenApiOperations.all()) {
            if (!operation.keyed()) {
                // security: [] is for the provider webhooks only, which their signatures authenticate
                assertThat(operation.path()).as(operation.name()).startsWith("/webhooks/");
                continue;
            }
            String uri = operation.path().replace("{key}", "a/b.txt").replace("{name}", "email")
                    .replace("{id}", "ID:1").replace("{index}", "products");
            boolean hasBody = operation.node().has("requestBody");
            requests.add(gateway.request(uri).header("Content-Type", "application/json")
                    .method(operation.method(), hasBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody()));
        }
        assertThat(requests).as("operations in the OpenAPI document").hasSizeGreaterThanOrEqualTo(23);
        requests.add(get("/api/v1/storage/objects/%2e%2e/escape"));
        requests.add(get("/api/v1/no-such-route"));
        return requests;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "wrong X-API-Key", "wrong Bearer", "empty", "Basic scheme"})
    void everyApiOperationAnswers401WithoutAValidKey(String variant) throws Exception {
        for (HttpRequest.Builder request : everyApiOperation()) {
            switch (variant) {
                case "wrong X-API-Key" -> request.header("X-API-Key", WRONG_KEY);
                case "wrong Bearer" -> request.header("Authorization", "Bearer " + WRONG_KEY);
                case "empty" -> request.header("X-API-Key", "");
                case "Basic scheme" -> request.header("Authorization", "Basic " + TestGateway.API_KEY);
                default -> {
                }
            }
            HttpResponse<String> response = gateway.send(request.build());
            assertThat(response.statusCode()).as(variant + " " + response.request().uri()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            if (!response.request().method().equals("HEAD")) {
                assertThat(response.body()).contains("\"status\":401").doesNotContain(WRONG_KEY);
            }
        }
    }

    @Test
    void acceptsTheKeyInXApiKeyOrAsBearerToken() throws Exception {
        HttpResponse<String> viaHeader = gateway.send(get("/api/v1/integrations").header("X-API-Key", TestGateway.API_KEY).build());
        HttpResponse<String> viaBearer = gateway.send(get("/api/v1/integrations")
                .header("Authorization", "Bearer " + TestGateway.API_KEY).build());

        assertThat(viaHeader.statusCode()).isEqualTo(200);
        assertThat(viaBearer.statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyIsNeverEchoedInAnAnswer() throws Exception {
        HttpResponse<String> response = gateway.send(post("/api/v1/notifications/email?wait=true",
                "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\"}").header("X-API-Key", TestGateway.API_KEY).build());
        HttpResponse<String> failed = gateway.send(post("/api/v1/notifications/email", "{bad")
                .header("X-API-Key", TestGateway.API_KEY).build());

        for (HttpResponse<String> r : List.of(response, failed)) {
            assertThat(r.body()).doesNotContain(TestGateway.API_KEY);
            r.headers().map().forEach((name, values) -> assertThat(values.toString()).as(name)
                    .doesNotContain(TestGateway.API_KEY));
        }
    }

    @Test
    void observeIsOpenToProbesAndShowsNoKey() throws Exception {
        for (String path : List.of("/observe/health", "/observe/health/live", "/observe/health/ready", "/observe/metrics")) {
            HttpResponse<String> response = gateway.send(gateway.request(path).GET().build());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain(TestGateway.API_KEY);
        }
    }

    private static HttpRequest.Builder get(String path) {
        return gateway.request(path).GET();
    }

    private static HttpRequest.Builder post(String path, String json) {
        return gateway.request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }
}
