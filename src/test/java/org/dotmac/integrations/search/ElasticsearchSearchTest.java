package org.dotmac.integrations.search;

import java.util.Map;

import org.dotmac.integrations.support.ElasticsearchNode;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @Override
    TestGateway gateway() {
        return gateway;
    }

    @Override
    String provider() {
        return "elasticsearch";
    }
}
