package org.dotmac.integrations.email;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A provider of the caller's own, registered by a route file in GATEWAY__ROUTES_DIR: README's worked
 * example, a route that posts the request to an HTTP webhook, chosen as EMAIL__PROVIDER=acme.
 */
class CustomProviderTest {

    static final String ROUTE = """
            # posts the email as JSON to a team's webhook; its X-Acme-Id answer header is the provider's id
            - route:
                id: acme-webhook
                from:
                  uri: direct:email-acme
                  steps:
                    - marshal:
                        json:
                          library: Jackson
                    - setHeader:
                        name: Content-Type
                        constant: application/json
                    - setHeader:
                        name: X-Notification-Id
                        simple: "${header.NotificationId}"
                    - to: "{{acme.url}}/send"
                    - setHeader:
                        name: ProviderMessageId
                        simple: "${header.X-Acme-Id}"
            """;

    static final Webhook webhook = Webhook.start();
    static final Path ROUTES = routesDir();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "gateway.routes-dir", ROUTES.toString(),
            "email.provider", "acme",
            "acme.url", "http://127.0.0.1:" + webhook.port(),
            "resilience.email.minimum-number-of-calls", "1000",
            "resilience.email.sliding-window-size", "1000"));

    @AfterAll
    static void stop() {
        webhook.server.stop(0);
    }

    @BeforeEach
    void theWebhookAccepts() {
        webhook.status.set(200);
        webhook.bodies.clear();
    }

    @Test
    void aRouteFileRegistersAProviderThatTheGatewayCallsAndReportsLikeItsOwn() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"Via acme\",\"content\":\"Hello\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = TestGateway.json(response.body());
        assertThat(result.get("provider").asText()).isEqualTo("acme");
        assertThat(result.get("status").asText()).isEqualTo("sent");
        assertThat(result.get("providerMessageId").asText()).startsWith("acme-");
        JsonNode received = TestGateway.json(webhook.bodies.getLast());
        assertThat(received.get("to").get(0).asText()).isEqualTo("ana@example.com");
        assertThat(received.get("subject").asText()).isEqualTo("Via acme");
        assertThat(webhook.notificationIds.getLast()).isEqualTo(result.get("id").asText());

        JsonNode email = TestGateway.json(gateway.get("/api/v1/integrations/email").body());
        assertThat(email.get("status").asText()).isEqualTo("READY");
        assertThat(email.get("provider").asText()).isEqualTo("acme");
        String metrics = gateway.get("/observe/metrics").body();
        assertThat(metrics).containsPattern("provider=\"acme\"").contains("name=\"email-acme\"");
    }

    @Test
    void theQueueDoorReachesItToo() throws Exception {
        JsonNode result = TestGateway.json(gateway.requestJms("integrations.email",
                "{\"to\":\"ana@example.com\",\"subject\":\"queued\",\"content\":\"c\"}"));

        assertThat(result.get("provider").asText()).isEqualTo("acme");
        assertThat(webhook.bodies).anySatisfy(body -> assertThat(body).contains("\"queued\""));
    }

    @Test
    void itsFailuresAreClassifiedByStatusAsTheGatewaysOwn() throws Exception {
        webhook.status.set(503);
        HttpResponse<String> unavailable = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");
        webhook.status.set(422);
        HttpResponse<String> refused = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");

        assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(TestGateway.json(refused.body()).get("detail").asText()).contains("acme refused the request (HTTP 422)");
    }

    @Test
    void aFileThatStartsAConsumerOfItsOwnStopsTheStartUp() throws Exception {
        Path bad = Files.createTempDirectory("gateway-routes-bad");
        Files.writeString(bad.resolve("backdoor.camel.yaml"), """
                - route:
                    id: backdoor
                    from:
                      uri: platform-http:/backdoor
                      steps:
                        - to: direct:email-send
                """);
        TestGateway refused = TestGateway.perClass(Map.of("gateway.routes-dir", bad.toString()));

        assertThatThrownBy(refused::startNow).hasStackTraceContaining("gateway.routes-dir (GATEWAY__ROUTES_DIR)")
                .hasStackTraceContaining("backdoor.camel.yaml: route backdoor starts from 'platform-http:'");
    }

    private static Path routesDir() {
        try {
            Path dir = Files.createTempDirectory("gateway-routes");
            Files.writeString(dir.resolve("email-acme.camel.yaml"), ROUTE);
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A team's webhook: answers its status, with X-Acme-Id on success and Retry-After on 503. */
    record Webhook(HttpServer server, AtomicInteger status, List<String> bodies, List<String> notificationIds) {

        static Webhook start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                Webhook webhook = new Webhook(server, new AtomicInteger(200), new CopyOnWriteArrayList<>(),
                        new CopyOnWriteArrayList<>());
                AtomicInteger sequence = new AtomicInteger();
                server.createContext("/send", exchange -> {
                    webhook.bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    webhook.notificationIds.add(exchange.getRequestHeaders().getFirst("X-Notification-Id"));
                    int status = webhook.status.get();
                    if (status == 200) {
                        exchange.getResponseHeaders().add("X-Acme-Id", "acme-" + sequence.incrementAndGet());
                    }
                    if (status == 503) {
                        exchange.getResponseHeaders().add("Retry-After", "7");
                    }
                    exchange.sendResponseHeaders(status, -1);
                    exchange.close();
                });
                server.start();
                return webhook;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        int port() {
            return server.getAddress().getPort();
        }
    }
}
