package org.dotmac.integrations.search.opensearch;

import org.dotmac.integrations.search.SearchEngineSuite;
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
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected String engineUrl() {
        return node.url();
    }

    @Override
    protected String provider() {
        return "opensearch";
    }
}
