package org.dotmac.integrations.search;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every search provider does alike, the engines that run here and Meilisearch's double too:
 * the gateway's own limits and name rules, dead letters, health and metrics, and an engine outage on
 * the queue (retried in place, parked, written once the engine is back).
 */
public abstract class SearchProviderSuite {

    protected abstract TestGateway gateway();

    /** What the provider names itself in results. */
    protected abstract String provider();

    /** The engine's own HTTP address, e.g. http://127.0.0.1:40123. */
    protected abstract String engineUrl();

    /** The environment that points a gateway process at the engine, reached at {@code engineAddress} (host:port). */
    protected abstract Map<String, String> processEnvironment(String engineAddress);

    protected HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = gateway().request("/api/v1/search/indexes/" + path)
                .header("X-API-Key", TestGateway.API_KEY);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return gateway().send(request.build());
    }

    protected JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return TestGateway.json(response.body());
    }

    protected JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return TestGateway.json(response.body());
    }

    @Test
    protected void bulkRefusesMoreDocumentsThanAllowed() throws Exception {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\":\"d").append(i).append("\"}");
        }
        JsonNode problem = problem(call("POST", "many/documents/_bulk", many.append("]").toString()), 413);
        assertThat(problem.get("detail").asText()).contains("search.bulk-max-documents");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "a*b", "a,b", "_hidden", "-dash", "%2Bplus", "a%20b", "a%5Cb", "a.b", "a%22b"})
    protected void invalidIndexNamesAre400(String index) throws Exception {
        JsonNode problem = problem(call("POST", index + "/query", "{\"q\":\"x\"}"), 400);
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("index");
        problem(call("PUT", index + "/documents/x", "{\"a\":1}"), 400);
    }

    @Test
    protected void aBadQueueMessageGoesToTheDeadLetterQueueWithItsReason() throws Exception {
        gateway().sendJms("integrations.search", "{\"operation\":\"index\",\"index\":\"Not Valid\",\"document\":{}}");
        var dead = gateway().receiveJms("integrations.dlq", 20_000);
        assertThat(dead).as("a dead letter").isNotNull();
        assertThat(dead.getStringProperty("DeadLetterReason")).contains("index");
        assertThat(dead.getBody(String.class)).contains("Not Valid");
    }

    @Test
    protected void theIntegrationReportsHealthAndMetricsByProvider() throws Exception {
        String series = "integration_requests_total{integration=\"search\",outcome=\"success\",provider=\"" + provider() + "\"}";
        double before = counter(gateway().get("/observe/metrics").body(), series);
        assertThat(call("PUT", "metered/documents/m1", "{\"a\":1}").statusCode()).isIn(200, 201);
        JsonNode health = TestGateway.json(gateway().get("/observe/health?data=true").body());
        assertThat(TestGateway.healthCheck(health, "integration-search").at("/data/status").asText()).isEqualTo("READY");
        assertThat(TestGateway.healthCheck(health, "integration-search").at("/data/provider").asText()).isEqualTo(provider());
        String metrics = gateway().get("/observe/metrics").body();
        // counted from before the call: the class's other tests write too
        assertThat(counter(metrics, series)).as(series).isEqualTo(before + 1);
        assertThat(metrics).contains("resilience4j_circuitbreaker_state{name=\"search-" + provider() + "\",state=\"closed\"");
    }

    /** The value of one exact series in a Prometheus scrape, 0 when it is not there yet. */
    protected static double counter(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).orElse(0.0);
    }

    /** A gateway process on this provider whose engine is reached through a proxy the test can cut. */
    public record BehindProxy(WireMockServer engine, GatewayProcess process, ActiveMQConnectionFactory broker) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try {
                process.close();
            } finally {
                engine.stop();
            }
        }
    }

    /** Starts a gateway process with {@code settings} (environment variables) on top of the provider's. */
    protected BehindProxy gatewayBehindAProxy(Path dir, Map<String, String> settings) throws Exception {
        WireMockServer engine = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        engine.start();
        engine.stubFor(WireMock.any(WireMock.anyUrl()).atPriority(10).willReturn(WireMock.aResponse().proxiedFrom(engineUrl())));
        int port = TestGateway.freePort();
        Map<String, String> env = new java.util.HashMap<>(GatewayProcess.environment(port, dir.resolve("data")));
        env.putAll(processEnvironment("127.0.0.1:" + engine.port()));
        env.putAll(settings);
        BehindProxy started = new BehindProxy(engine, GatewayProcess.start(env, dir),
                new ActiveMQConnectionFactory("tcp://127.0.0.1:" + env.get("JMS__EMBEDDED__PORT")));
        try {
            started.process().awaitReady(port);
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    @Test
    protected void anEngineOutageOnTheQueueIsRetriedThenParkedAndTheWriteLandsOnceItEnds(@TempDir Path dir) throws Exception {
        // two retries in place, then parking (not an open breaker), back one second later
        try (BehindProxy gateway = gatewayBehindAProxy(dir, Map.of("RESILIENCE__SEARCH__MINIMUM_NUMBER_OF_CALLS", "100",
                "JMS__MAX_REDELIVERIES", "2", "JMS__REDELIVERY_DELAY", "100", "JMS__PARK_DELAY", "1000"))) {
            WireMockServer engine = gateway.engine();
            GatewayProcess process = gateway.process();
            var factory = gateway.broker();
            var outage = engine.stubFor(WireMock.any(WireMock.urlMatching(".*/outage.*")).atPriority(1)
                    .willReturn(WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            try (jakarta.jms.Connection connection = factory.createConnection()) {
                jakarta.jms.Session session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("integrations.search")).send(session.createTextMessage(
                        "{\"operation\":\"index\",\"index\":\"outage\",\"id\":\"o1\",\"document\":{\"v\":1}}"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> process.output().contains("Parked message"));
            assertThat(writesOfTheOutageIndex(engine)).as("the first try and two retries in place, refused").isGreaterThanOrEqualTo(3);

            engine.removeStub(outage);
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.getAllServeEvents().stream().anyMatch(event ->
                    event.getRequest().getUrl().contains("/outage") && event.getResponse().getStatus() >= 200
                            && event.getResponse().getStatus() < 300));
            try (jakarta.jms.Connection connection = factory.createConnection()) {
                jakarta.jms.Session session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                connection.start();
                assertThat(Collections.list(session.createBrowser(session.createQueue("integrations.dlq")).getEnumeration()))
                        .as("nothing dead-lettered").isEmpty();
            }
        }
    }

    private static long writesOfTheOutageIndex(WireMockServer engine) {
        return engine.getAllServeEvents().stream().filter(event -> event.getRequest().getUrl().contains("/outage")
                && !event.getRequest().getMethod().getName().equals("GET")).count();
    }
}
