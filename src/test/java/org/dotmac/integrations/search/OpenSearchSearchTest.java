package org.dotmac.integrations.search;

import java.util.Map;

import org.dotmac.integrations.support.OpenSearchNode;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The search suite on the opensearch provider against a real OpenSearch 2.19 node in the test JVM. */
class OpenSearchSearchTest extends SearchEngineSuite {

    @RegisterExtension
    static final OpenSearchNode node = OpenSearchNode.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "features.search-enabled", "true",
            "search.provider", "opensearch",
            "search.opensearch.hosts", node.hosts()));

    @Override
    TestGateway gateway() {
        return gateway;
    }

    @Override
    String engineUrl() {
        return node.url();
    }

    @Override
    String provider() {
        return "opensearch";
    }
}
