package org.dotmac.integrations.api;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure the HTTP server or a route can produce is an RFC 9457 problem, never a 500 or a stack trace. */
class HttpErrorsTest {

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(java.util.Map.of("camel.server.max-body-size", "65536"));

    @Test
    void unknownPathIs404Problem() throws Exception {
        assertProblem(gateway.get("/api/v1/nothing-here"), 404, "/api/v1/nothing-here");
        assertProblem(gateway.get("/"), 404, "no resource");
    }

    @Test
    void wrongMethodIs405ProblemWithAllow() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/search/indexes/products/query");

        assertProblem(response, 405, "GET is not allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        HttpResponse<String> outbox = gateway.send(withKey("/api/v1/outbox").PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        assertProblem(outbox, 405, "PUT");
        assertThat(outbox.headers().firstValue("Allow")).hasValue("DELETE, GET");
    }

    @Test
    void bodyOverTheLimitIs413Problem() throws Exception {
        String big = "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"" + "x".repeat(70_000) + "\"}";
        assertProblem(gateway.postJson("/api/v1/notifications/email", big), 413, "max-body-size");
    }

    @Test
    void wrongOrMissingContentTypeIs415Problem() throws Exception {
        String body = "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\"}";
        assertProblem(gateway.send(withKey("/api/v1/notifications/email").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()), 415, "application/json");
        assertProblem(gateway.send(withKey("/api/v1/notifications/sms")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()), 415, "application/json");
        assertProblem(gateway.send(withKey("/api/v1/notifications").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("type=sms")).build()), 415, "application/json");
    }

    @Test
    void acceptsJsonWithACharsetParameter() throws Exception {
        HttpResponse<String> response = gateway.send(withKey("/api/v1/notifications/sms")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+14155550100\",\"message\":\"m\"}")).build());
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void malformedJsonIs400Problem() throws Exception {
        assertProblem(gateway.postJson("/api/v1/notifications/email", "{\"to\": "), 400, "not valid JSON");
        assertProblem(gateway.postJson("/api/v1/notifications/email", "{\"to\":\"a@b.com\"} trailing"), 400, "JSON");
        assertProblem(gateway.postJson("/api/v1/notifications/sms", ""), 400, "empty");
        assertProblem(gateway.postJson("/api/v1/notifications/sms", "null"), 400, "JSON object");
        assertProblem(gateway.postJson("/api/v1/notifications/sms", "[1,2]"), 400, "JSON object");
        assertProblem(gateway.postJson("/api/v1/notifications/sms", "\"text\""), 400, "JSON object");
    }

    @Test
    void deeplyNestedJsonIs400Problem() throws Exception {
        String nested = "{\"to\":\"+14155550100\",\"message\":\"m\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertProblem(gateway.postJson("/api/v1/notifications/sms", nested), 400, "");
    }

    @Test
    void invalidUtf8Is400Problem() throws Exception {
        byte[] body = "{\"to\":\"+14155550100\",\"message\":\"\u00ff\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        HttpResponse<String> response = gateway.send(withKey("/api/v1/notifications/sms")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertProblem(response, 400, "UTF-8");
    }

    @Test
    void unknownIntegrationIs404Problem() throws Exception {
        assertProblem(gateway.get("/api/v1/integrations/fax"), 404, "known: email, sms, storage, search");
    }

    private static HttpRequest.Builder withKey(String path) {
        return gateway.request(path).header("X-API-Key", TestGateway.API_KEY);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detailPart) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = TestGateway.json(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).contains(detailPart);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
