package org.dotmac.integrations.search.meilisearch;

import org.dotmac.integrations.search.SearchEngineSuite;
import org.dotmac.integrations.search.SearchProviderSuite;
import org.dotmac.integrations.search.SearchResults;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.MeilisearchDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The search behaviour on the meilisearch provider, against a double of Meilisearch's HTTP API that
 * checks every request against Meilisearch's official contract. The double keeps no documents: what
 * is proven here is what the gateway asks and how it reads the engine's answers (the engines that run
 * here prove relevance and paging for real, in {@link SearchEngineSuite}); what every provider does
 * alike, outage and dead letters included, it passes in {@link SearchProviderSuite}.
 */
class MeilisearchSearchTest extends SearchProviderSuite {

    static final LogCapture logs = LogCapture.install();

    @RegisterExtension
    static final MeilisearchDouble meili = MeilisearchDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "features.search-enabled", "true",
            "features.search-meilisearch-enabled", "true",
            "search.provider", "meilisearch",
            "search.meilisearch.url", meili.baseUrl(),
            "search.meilisearch.api-key", MeilisearchDouble.API_KEY,
            "search.meilisearch.task-poll-interval", "10",
            "search.meilisearch.task-timeout", "1000"));

    @AfterAll
    static void theApiKeyIsInNoLogLine() {
        logs.close();
        assertThat(logs.text()).contains("Apache Camel").doesNotContain(MeilisearchDouble.API_KEY);
    }

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected String provider() {
        return "meilisearch";
    }

    @Override
    protected String engineUrl() {
        return meili.baseUrl();
    }

    @Override
    protected Map<String, String> processEnvironment(String engineAddress) {
        return Map.of("FEATURES__SEARCH_ENABLED", "true", "FEATURES__SEARCH_MEILISEARCH_ENABLED", "true",
                "SEARCH__PROVIDER", "meilisearch", "SEARCH__MEILISEARCH__URL", "http://" + engineAddress,
                "SEARCH__MEILISEARCH__API_KEY", MeilisearchDouble.API_KEY,
                "SEARCH__MEILISEARCH__TASK_POLL_INTERVAL", "10", "SEARCH__MEILISEARCH__TASK_TIMEOUT", "1000");
    }

    static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return TestGateway.json(response.body());
    }

    @Test
    void indexingAddsTheDocumentWithItsIdAndWaitsForTheTask() throws Exception {
        meili.answer(get(urlPathEqualTo("/tasks/7")).inScenario("task").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"uid\":7,\"indexUid\":\"books\",\"status\":\"processing\",\"type\":\"documentAdditionOrUpdate\",\"enqueuedAt\":\"2026-11-28T10:00:00Z\"}"))
                .willSetStateTo("done"));

        JsonNode written = json(call("PUT", "books/documents/b1", "{\"title\":\"Dune\"}"), 200);

        assertThat(written.get("result").asText()).isEqualTo("indexed");
        assertThat(written.get("provider").asText()).isEqualTo("meilisearch");
        LoggedRequest add = meili.requestsTo("POST", "/indexes/books/documents").get(0);
        assertThat(add.getUrl()).contains("primaryKey=id");
        assertThat(add.getHeader("Authorization")).isEqualTo("Bearer " + MeilisearchDouble.API_KEY);
        assertThat(TestGateway.json(add.getBodyAsString())).isEqualTo(TestGateway.json("[{\"title\":\"Dune\",\"id\":\"b1\"}]"));
        assertThat(meili.requestsTo("GET", "/tasks/7")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aTaskStillRunningAtTheTimeoutIsAnswered202WithItsUid() throws Exception {
        meili.task(7, "processing", null, null);
        JsonNode written = json(call("PUT", "books/documents/b2", "{\"title\":\"Slow\"}"), 202);
        assertThat(written.get("result").asText()).isEqualTo("enqueued");
        assertThat(written.get("taskUid").asLong()).isEqualTo(7);
    }

    @Test
    void aDocumentIsReadBackAndAMissingOneIs404() throws Exception {
        meili.answer(get(urlPathEqualTo("/indexes/books/documents/b1")).willReturn(okJson("{\"id\":\"b1\",\"title\":\"Dune\"}")));
        meili.answer(get(urlPathEqualTo("/indexes/books/documents/nope")).willReturn(MeilisearchDouble.error(404,
                "document_not_found", "invalid_request", "Document `nope` not found.")));

        JsonNode found = json(call("GET", "books/documents/b1", null), 200);
        assertThat(found.get("source").get("title").asText()).isEqualTo("Dune");
        assertThat(call("GET", "books/documents/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void bulkSendsTheValidDocumentsAndReportsEachItem() throws Exception {
        JsonNode bulk = json(call("POST", "products/documents/_bulk",
                "[{\"id\":\"p1\",\"name\":\"lamp\"},{\"name\":\"no id\"},{\"id\":\"bad id!\"},{\"id\":7,\"name\":\"chair\"}]"), 200);

        assertThat(bulk.get("errors").asBoolean()).isTrue();
        assertThat(bulk.get("items").findValuesAsText("status")).containsExactly("200", "400", "400", "200");
        JsonNode sent = TestGateway.json(meili.requestsTo("POST", "/indexes/products/documents").get(0).getBodyAsString());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).get("id").asText()).isEqualTo("7");
    }

    @Test
    void aFailedTaskFailsEveryItemWithMeilisearchsReason() throws Exception {
        meili.task(7, "failed", null, "{\"message\":\"Document has too many fields\",\"code\":\"invalid_document_fields\","
                + "\"type\":\"invalid_request\",\"link\":\"https://docs.meilisearch.com/errors#invalid_document_fields\"}");
        JsonNode bulk = json(call("POST", "products/documents/_bulk", "[{\"id\":\"p1\"},{\"id\":\"p2\"}]"), 200);
        assertThat(bulk.get("items").findValuesAsText("error")).containsOnly("Document has too many fields");

        JsonNode single = json(call("PUT", "products/documents/p3", "{\"a\":1}"), 400);
        assertThat(single.get("detail").asText()).contains("too many fields");
    }

    @Test
    void aQueryAsksForAPageWithFiltersSortAndScoresAndKeepsTheEnginesOrder() throws Exception {
        meili.answer(post(urlPathEqualTo("/indexes/fruit/search")).willReturn(okJson("""
                {"hits":[{"id":"ab","title":"red apple with banana","_rankingScore":0.93},
                         {"id":"a","title":"red apple","_rankingScore":0.61}],
                 "query":"apple banana","processingTimeMs":1,"limit":2,"offset":4,"estimatedTotalHits":9}""")));

        JsonNode result = json(call("POST", "fruit/query",
                "{\"q\":\"apple banana\",\"from\":4,\"size\":2,\"filters\":{\"kind\":\"fruit\",\"n\":[1,2]},\"sort\":[\"n:asc\"]}"), 200);

        assertThat(result.get("total").asLong()).isEqualTo(9);
        assertThat(SearchEngineSuite.ids(result.get("hits"))).containsExactly("ab", "a");
        assertThat(result.get("hits").get(0).get("score").asDouble()).isEqualTo(0.93);
        assertThat(result.get("hits").get(0).get("source").has("_rankingScore")).isFalse();
        JsonNode asked = TestGateway.json(meili.requestsTo("POST", "/indexes/fruit/search").get(0).getBodyAsString());
        assertThat(asked.get("q").asText()).isEqualTo("apple banana");
        assertThat(asked.get("offset").asInt()).isEqualTo(4);
        assertThat(asked.get("limit").asInt()).isEqualTo(2);
        assertThat(asked.get("filter").asText()).isEqualTo("kind = \"fruit\" AND n IN [1, 2]");
        assertThat(asked.get("sort").get(0).asText()).isEqualTo("n:asc");
        assertThat(asked.get("showRankingScore").asBoolean()).isTrue();
    }

    @Test
    void aFilterValueCannotBreakOutOfItsQuotes() throws Exception {
        meili.answer(post(urlPathEqualTo("/indexes/fruit/search")).willReturn(okJson(
                "{\"hits\":[],\"query\":\"\",\"processingTimeMs\":1,\"limit\":10,\"offset\":0,\"estimatedTotalHits\":0}")));
        json(call("POST", "fruit/query", "{\"filters\":{\"kind\":\"x\\\" OR kind = \\\"y\"}}"), 200);
        JsonNode asked = TestGateway.json(meili.requestsTo("POST", "/indexes/fruit/search").get(0).getBodyAsString());
        assertThat(asked.get("filter").asText()).isEqualTo("kind = \"x\\\" OR kind = \\\"y\"");
    }

    @Test
    void aQueryMeilisearchRejectsIs400WithItsReason() throws Exception {
        meili.answer(post(urlPathEqualTo("/indexes/fruit/search")).willReturn(MeilisearchDouble.error(400,
                "invalid_search_sort", "invalid_request",
                "Attribute `title` is not sortable. Available sortable attributes are: `n`.")));
        JsonNode problem = json(call("POST", "fruit/query", "{\"sort\":[\"title:asc\"]}"), 400);
        assertThat(problem.get("detail").asText()).contains("meilisearch rejected").contains("not sortable");
    }

    @Test
    void deleteSaysWhetherTheDocumentWasThere() throws Exception {
        assertThat(json(call("DELETE", "trash/documents/t1", null), 200).get("result").asText()).isEqualTo("deleted");
        meili.task(7, "succeeded", "{\"deletedDocuments\":0}", null);
        assertThat(call("DELETE", "trash/documents/t1", null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusedCredentialsAreTheGatewaysConfigurationProblem() throws Exception {
        meili.answer(post(urlPathEqualTo("/indexes/fruit/search")).willReturn(MeilisearchDouble.error(403,
                "invalid_api_key", "auth", "The provided API key is invalid.")));
        JsonNode problem = json(call("POST", "fruit/query", "{\"q\":\"x\"}"), 502);
        assertThat(problem.get("detail").asText()).contains("search.meilisearch").doesNotContain(MeilisearchDouble.API_KEY);
    }

    @Test
    void anEngineFailureIs503() throws Exception {
        meili.answer(post(urlPathEqualTo("/indexes/fruit/search")).willReturn(MeilisearchDouble.error(503,
                "unavailable", "system", "try again")));
        json(call("POST", "fruit/query", "{\"q\":\"x\"}"), 503);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "a*b", "_hidden", "-dash", "a%20b", "a%5Cb"})
    void invalidIndexNamesNeverReachMeilisearch(String index) throws Exception {
        json(call("POST", index + "/query", "{\"q\":\"x\"}"), 400);
        assertThat(meili.requests()).isEmpty();
    }

    @Test
    void theQueueAndTheDirectEndpointsServeTheSameRequests() throws Exception {
        gateway.sendJms("integrations.search", "{\"operation\":\"index\",\"index\":\"queued\",\"id\":\"q1\",\"document\":{\"t\":1}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> !meili.requestsTo("POST", "/indexes/queued/documents").isEmpty());

        SearchResults.Written deleted = (SearchResults.Written) gateway.direct("direct:search-delete",
                Map.of("index", "queued", "id", "q1"));
        assertThat(deleted.result()).isEqualTo("deleted");
        assertThat(meili.requestsTo("DELETE", "/indexes/queued/documents/q1")).hasSize(1);
    }
}
