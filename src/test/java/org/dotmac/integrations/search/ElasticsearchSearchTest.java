package org.dotmac.integrations.search;

import java.util.Map;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.dotmac.integrations.support.ElasticsearchNode;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search suite on the elasticsearch provider against a real Elasticsearch 9.2 node. The node needs
 * a JDK 21+; without one these tests are skipped with the reason printed (CI has one).
 */
class ElasticsearchSearchTest extends SearchEngineSuite {

    static final String UNAVAILABLE = ElasticsearchNode.unavailableReason().orElse(null);

    @RegisterExtension
    static final ElasticsearchNode node = UNAVAILABLE == null ? ElasticsearchNode.start() : null;

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "features.search-enabled", "true",
            "features.search-elasticsearch-enabled", "true",
            "search.provider", "elasticsearch",
            // without a node the gateway still starts (the client connects lazily); the tests are skipped
            "search.elasticsearch.hosts", node == null ? "127.0.0.1:9" : node.hosts()));

    @BeforeAll
    static void requireTheNode() {
        if (UNAVAILABLE != null) {
            System.out.println("ElasticsearchSearchTest " + UNAVAILABLE);
        }
        Assumptions.assumeTrue(UNAVAILABLE == null, UNAVAILABLE);
    }

    @Test
    void credentialsGoOnEveryRequestAndIntoNoLogLine() throws Exception {
        // a recording proxy in front of the node (which runs without security) shows what was sent
        WireMockServer recorder = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        recorder.start();
        try (LogCapture logs = LogCapture.install()) {
            recorder.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().proxiedFrom(node.url())));
            String apiKey = "ZXMtYXBpLWtleS1pZDplcy1hcGkta2V5LXNlY3JldA==";
            Map<String, String> settings = Map.of(
                    "features.search-enabled", "true",
                    "features.search-elasticsearch-enabled", "true",
                    "search.provider", "elasticsearch",
                    "search.elasticsearch.hosts", "127.0.0.1:" + recorder.port(),
                    "search.elasticsearch.api-key", apiKey,
                    "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort());
            try (TestGateway keyed = TestGateway.perClass(settings).startNow()) {
                HttpResponse<String> written = keyed.send(keyed.request("/api/v1/search/indexes/keyed/documents/k1?refresh=true")
                        .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());
                assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
                keyed.send(keyed.request("/api/v1/search/indexes/keyed/query").header("X-API-Key", TestGateway.API_KEY)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            }
            var requests = recorder.findAll(WireMock.anyRequestedFor(WireMock.anyUrl()));
            assertThat(requests).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("ApiKey " + apiKey));
            logs.close();
            assertThat(logs.text()).contains("Apache Camel").doesNotContain(apiKey);
        } finally {
            recorder.stop();
        }
    }

    @Override
    TestGateway gateway() {
        return gateway;
    }

    @Override
    String provider() {
        return "elasticsearch";
    }
}
