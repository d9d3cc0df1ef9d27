package org.dotmac.integrations.search;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.apache.camel.CamelExecutionException;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.dotmac.integrations.support.VaultDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One behaviour for the search providers that run here for real (Elasticsearch 9, OpenSearch 2):
 * through the REST door, the JMS queue and the direct endpoints, with documents the engine keeps
 * (relevance, paging, write order). Every test uses its own index.
 */
public abstract class SearchEngineSuite extends SearchProviderSuite {

    @Override
    protected Map<String, String> processEnvironment(String engineAddress) {
        return Map.of("FEATURES__SEARCH_ENABLED", "true",
                "FEATURES__SEARCH_ELASTICSEARCH_ENABLED", "true",
                "SEARCH__PROVIDER", provider(),
                "SEARCH__" + provider().toUpperCase(java.util.Locale.ROOT) + "__HOSTS", engineAddress);
    }

    @Test
    protected void basicCredentialsGoOnEveryRequest() throws Exception {
        assertThat(authorizationsSent(Map.of("search." + provider() + ".password", TestSecrets.SEARCH_PASSWORD)))
                .isNotEmpty().allSatisfy(sent -> assertThat(sent).isEqualTo(basic(TestSecrets.SEARCH_PASSWORD)));
    }

    @Test
    protected void theBasicPasswordComesFromVault() throws Exception {
        VaultDouble vault = VaultDouble.start();
        try {
            vault.put("search/" + provider(), Map.of("password", TestSecrets.SEARCH_PASSWORD_FROM_VAULT));
            List<String> sent = authorizationsSent(Map.of("vault.addr", vault.address(), "vault.token", VaultDouble.TOKEN));

            assertThat(sent).isNotEmpty().allSatisfy(s -> assertThat(s).isEqualTo(basic(TestSecrets.SEARCH_PASSWORD_FROM_VAULT)));
            assertThat(vault.readsOf("secret", "search/" + provider())).isNotEmpty();
            // every request the gateway made of Vault met Vault's contract
            vault.afterEach(null);
        } finally {
            vault.afterAll(null);
        }
    }

    /**
     * The Authorization headers a gateway with basic credentials (user "gateway", the password from
     * {@code settings}) sent to the engine while writing one document.
     */
    private List<String> authorizationsSent(Map<String, String> settings) throws Exception {
        // a recording proxy in front of the engine (which runs without security) shows what was sent
        WireMockServer recorder = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        recorder.start();
        try {
            recorder.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().proxiedFrom(engineUrl())));
            Map<String, String> all = new java.util.HashMap<>(settings);
            all.putAll(Map.of(
                    "features.search-enabled", "true",
                    "features.search-elasticsearch-enabled", "true",
                    "search.provider", provider(),
                    "search." + provider() + ".hosts", "127.0.0.1:" + recorder.port(),
                    "search." + provider() + ".username", "gateway",
                    "jms.broker-url", "tcp://127.0.0.1:" + gateway().brokerPort()));
            try (TestGateway basic = TestGateway.perClass(all).startNow()) {
                HttpResponse<String> written = basic.send(basic.request("/api/v1/search/indexes/basic/documents/b1")
                        .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());
                assertThat(written.statusCode()).as(written.body()).isIn(200, 201);
            }
            return recorder.findAll(WireMock.anyRequestedFor(WireMock.anyUrl())).stream()
                    .map(request -> request.getHeader("Authorization")).toList();
        } finally {
            recorder.stop();
        }
    }

    private static String basic(String password) {
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("gateway:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    protected void indexesADocumentThenReplacesIt() throws Exception {
        JsonNode created = ok(call("PUT", "books/documents/b1?refresh=true", "{\"title\":\"Dune\",\"year\":1965}"), 201);
        assertThat(created.get("result").asText()).isEqualTo("created");
        assertThat(created.get("provider").asText()).isEqualTo(provider());

        JsonNode replaced = ok(call("PUT", "books/documents/b1?refresh=true", "{\"title\":\"Dune Messiah\",\"year\":1969}"), 200);
        assertThat(replaced.get("result").asText()).isEqualTo("updated");

        JsonNode found = ok(call("GET", "books/documents/b1", null), 200);
        assertThat(found.get("id").asText()).isEqualTo("b1");
        assertThat(found.get("source").get("title").asText()).isEqualTo("Dune Messiah");
        assertThat(found.get("source").get("year").asInt()).isEqualTo(1969);
        assertThat(found.get("source").get("id").asText()).isEqualTo("b1");
    }

    @Test
    protected void postGivesTheDocumentAnId() throws Exception {
        JsonNode created = ok(call("POST", "notes/documents?refresh=true", "{\"text\":\"remember the milk\"}"), 201);
        String id = created.get("id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(ok(call("GET", "notes/documents/" + id, null), 200).get("source").get("text").asText())
                .isEqualTo("remember the milk");
    }

    @Test
    protected void aMissingDocumentIs404() throws Exception {
        ok(call("PUT", "shelf/documents/present?refresh=true", "{\"a\":1}"), 201);
        JsonNode missing = problem(call("GET", "shelf/documents/absent", null), 404);
        assertThat(missing.get("detail").asText()).contains("absent");
        problem(call("GET", "no-such-index/documents/x", null), 404);
    }

    @Test
    protected void aDocumentWhoseIdContradictsThePathIs400() throws Exception {
        JsonNode problem = problem(call("PUT", "books/documents/b2", "{\"id\":\"other\",\"title\":\"x\"}"), 400);
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("body.id");
    }

    @Test
    protected void bulkReportsEveryItemAndWritesThoseThatAreValid() throws Exception {
        // "price" becomes a number field, so a later text price is the engine's per-item refusal
        ok(call("PUT", "products/documents/p0?refresh=true", "{\"name\":\"first\",\"price\":10}"), 201);

        JsonNode bulk = ok(call("POST", "products/documents/_bulk?refresh=true", """
                [{"id":"p1","name":"lamp","price":25},
                 {"name":"no id"},
                 {"id":"p3","name":"chair","price":"not a number"},
                 {"id":"p0","name":"first, renamed","price":11}]"""), 200);

        assertThat(bulk.get("errors").asBoolean()).isTrue();
        JsonNode items = bulk.get("items");
        assertThat(items).hasSize(4);
        assertThat(items.get(0).get("id").asText()).isEqualTo("p1");
        assertThat(items.get(0).get("status").asInt()).isEqualTo(201);
        assertThat(items.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(items.get(1).get("error").asText()).contains("no id");
        assertThat(items.get(2).get("id").asText()).isEqualTo("p3");
        assertThat(items.get(2).get("status").asInt()).isEqualTo(400);
        assertThat(items.get(2).get("error").asText()).containsIgnoringCase("price");
        assertThat(items.get(3).get("status").asInt()).isEqualTo(200);
        assertThat(items.get(3).get("result").asText()).isEqualTo("updated");

        ok(call("GET", "products/documents/p1", null), 200);
        problem(call("GET", "products/documents/p3", null), 404);
        assertThat(ok(call("GET", "products/documents/p0", null), 200).get("source").get("price").asInt()).isEqualTo(11);
    }

    @Test
    protected void aQueryAnswersInRelevanceOrder() throws Exception {
        ok(call("POST", "fruit/documents/_bulk?refresh=true", """
                [{"id":"a","title":"red apple"},
                 {"id":"ab","title":"red apple with banana"},
                 {"id":"c","title":"cherry"}]"""), 200);

        JsonNode result = ok(call("POST", "fruit/query", "{\"q\":\"apple banana\"}"), 200);

        assertThat(result.get("total").asLong()).isEqualTo(2);
        JsonNode hits = result.get("hits");
        assertThat(hits.get(0).get("id").asText()).isEqualTo("ab");
        assertThat(hits.get(1).get("id").asText()).isEqualTo("a");
        assertThat(hits.get(0).get("score").asDouble()).isGreaterThan(hits.get(1).get("score").asDouble());
        assertThat(hits.get(0).get("source").get("title").asText()).isEqualTo("red apple with banana");
    }

    @Test
    protected void aQueryPagesThroughFilteredSortedHits() throws Exception {
        StringBuilder docs = new StringBuilder("[");
        for (int n = 1; n <= 7; n++) {
            docs.append(n == 1 ? "" : ",").append("{\"id\":\"n").append(n).append("\",\"n\":").append(n)
                    .append(",\"kind\":\"").append(n % 2 == 0 ? "even" : "odd").append("\"}");
        }
        ok(call("POST", "numbers/documents/_bulk?refresh=true", docs.append("]").toString()), 200);

        JsonNode page = ok(call("POST", "numbers/query",
                "{\"filters\":{\"kind\":\"odd\"},\"sort\":[\"n:asc\"],\"from\":1,\"size\":2}"), 200);
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(ids(page.get("hits"))).containsExactly("n3", "n5");

        JsonNode either = ok(call("POST", "numbers/query",
                "{\"filters\":{\"n\":[2,7]},\"sort\":[\"n:desc\"]}"), 200);
        assertThat(ids(either.get("hits"))).containsExactly("n7", "n2");
    }

    @Test
    protected void theRequestedPageSizeIsCapped() throws Exception {
        JsonNode problem = problem(call("POST", "numbers/query", "{\"size\":101}"), 400);
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("size");
    }

    @Test
    protected void aQueryTheEngineRejectsIs400WithItsReason() throws Exception {
        ok(call("PUT", "texts/documents/t1?refresh=true", "{\"title\":\"words\"}"), 201);
        // a text field has no doc values: the engine refuses to sort by it
        JsonNode problem = problem(call("POST", "texts/query", "{\"sort\":[\"title:asc\"]}"), 400);
        assertThat(problem.get("detail").asText()).contains(provider() + " rejected").containsIgnoringCase("title");
    }

    @Test
    protected void aQueryOnAMissingIndexIs404() throws Exception {
        problem(call("POST", "never-created/query", "{\"q\":\"x\"}"), 404);
    }

    @Test
    protected void deleteRemovesADocument() throws Exception {
        ok(call("PUT", "trash/documents/t1?refresh=true", "{\"a\":1}"), 201);
        assertThat(ok(call("DELETE", "trash/documents/t1?refresh=true", null), 200).get("result").asText()).isEqualTo("deleted");
        problem(call("GET", "trash/documents/t1", null), 404);
        problem(call("DELETE", "trash/documents/t1", null), 404);
    }

    @Test
    protected void theDirectEndpointsIndexQueryAndDelete() throws Exception {
        Object written = gateway().direct("direct:search-index",
                Map.of("index", "direct-docs", "id", "d1", "document", Map.of("title", "from java"), "refresh", true));
        assertThat(written).isInstanceOf(SearchResults.Written.class);
        assertThat(((SearchResults.Written) written).result()).isEqualTo("created");

        SearchResults.Hits hits = (SearchResults.Hits) gateway().direct("direct:search-query",
                Map.of("index", "direct-docs", "q", "java"));
        assertThat(hits.hits()).extracting(SearchResults.Hit::id).containsExactly("d1");

        SearchResults.Written deleted = (SearchResults.Written) gateway().direct("direct:search-delete",
                Map.of("index", "direct-docs", "id", "d1"));
        assertThat(deleted.result()).isEqualTo("deleted");

        assertThatThrownBy(() -> gateway().direct("direct:search-query", Map.of("index", "Bad/Name", "q", "x")))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(ProblemException.class).hasMessageContaining("index");
    }

    @Test
    protected void theQueueIndexesAndDeletesAsynchronously() throws Exception {
        String reply = gateway().requestJms("integrations.search",
                "{\"operation\":\"index\",\"index\":\"queued\",\"id\":\"q1\",\"document\":{\"title\":\"queued\"},\"refresh\":true}");
        assertThat(TestGateway.json(reply).get("result").asText()).isEqualTo("created");

        gateway().sendJms("integrations.search",
                "{\"operation\":\"index\",\"index\":\"queued\",\"documents\":[{\"id\":\"q2\",\"title\":\"second\"}]}");
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "queued/documents/q2", null).statusCode() == 200);

        gateway().sendJms("integrations.search", "{\"operation\":\"delete\",\"index\":\"queued\",\"id\":\"q1\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "queued/documents/q1", null).statusCode() == 404);
    }

    /**
     * Queued writes to one document land in the order they were queued, although the first comes back
     * from parking after the second was applied: an index-then-delete leaves no document, a
     * delete-then-index leaves the new one. The engine is cut off (connections reset) while the first
     * writes are queued, and back when the second are.
     */
    @Test
    protected void queuedWritesToOneDocumentLandInTheOrderQueuedAfterAnEngineOutage(@TempDir Path dir) throws Exception {
        // the outage must reach parking, not an open breaker, and the parked copies come back late
        try (BehindProxy gateway = gatewayBehindAProxy(dir, Map.of("RESILIENCE__SEARCH__MINIMUM_NUMBER_OF_CALLS", "100",
                "JMS__MAX_REDELIVERIES", "0", "JMS__PARK_DELAY", "8000"))) {
            WireMockServer engine = gateway.engine();
            GatewayProcess process = gateway.process();
            var factory = gateway.broker();
            ok(call("PUT", "order/documents/kept", "{\"v\":0}"), 201);

            var outage = engine.stubFor(WireMock.any(WireMock.anyUrl()).atPriority(1)
                    .willReturn(WireMock.aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
            queue(factory, "{\"operation\":\"index\",\"index\":\"order\",\"id\":\"gone\",\"document\":{\"v\":1}}");
            queue(factory, "{\"operation\":\"delete\",\"index\":\"order\",\"id\":\"kept\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> process.output().split("Parked message", -1).length - 1 >= 2);

            engine.removeStub(outage);
            queue(factory, "{\"operation\":\"delete\",\"index\":\"order\",\"id\":\"gone\"}");
            queue(factory, "{\"operation\":\"index\",\"index\":\"order\",\"id\":\"kept\",\"document\":{\"v\":2}}");
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                HttpResponse<String> kept = call("GET", "order/documents/kept", null);
                return kept.statusCode() == 200 && kept.body().contains("\"v\":2");
            });
            assertThat(process.output()).as("the parked writes are still parked").doesNotContain("Not sending");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(process.output())
                    .contains("Not sending [gone] of index order").contains("Not sending [kept] of index order"));
            assertThat(call("GET", "order/documents/gone", null).statusCode()).as("indexed, then deleted").isEqualTo(404);
            HttpResponse<String> kept = call("GET", "order/documents/kept", null);
            assertThat(kept.statusCode()).as("deleted, then indexed again").isEqualTo(200);
            assertThat(TestGateway.json(kept.body()).at("/source/v").asInt()).isEqualTo(2);
        }
    }

    private static void queue(jakarta.jms.ConnectionFactory factory, String body) throws Exception {
        try (jakarta.jms.Connection connection = factory.createConnection()) {
            jakarta.jms.Session session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("integrations.search")).send(session.createTextMessage(body));
        }
    }

    public static List<String> ids(JsonNode hits) {
        List<String> ids = new java.util.ArrayList<>();
        hits.forEach(hit -> ids.add(hit.get("id").asText()));
        return ids;
    }
}
