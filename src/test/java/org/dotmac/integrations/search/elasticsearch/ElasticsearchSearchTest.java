package org.dotmac.integrations.search.elasticsearch;

import org.dotmac.integrations.search.SearchEngineSuite;
import java.util.Map;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.dotmac.integrations.support.ElasticsearchNode;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
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
            String apiKey = TestSecrets.ELASTICSEARCH_API_KEY;
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

    @Test
    void tlsTrustsTheConfiguredCaCertificateAndNothingElse() throws Exception {
        Path dir = Files.createTempDirectory("es-tls");
        Path keystore = dir.resolve("node.p12");
        Path ca = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "node", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", ca.toString());
        // a TLS front for the node: a proxy with a certificate of our own
        WireMockServer front = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .httpDisabled(true).dynamicHttpsPort().keystorePath(keystore.toString()).keystoreType("PKCS12")
                .keystorePassword("changeit").keyManagerPassword("changeit"));
        front.start();
        try {
            front.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().proxiedFrom(node.url())));
            Map<String, String> settings = new java.util.HashMap<>(Map.of(
                    "features.search-enabled", "true",
                    "features.search-elasticsearch-enabled", "true",
                    "search.provider", "elasticsearch",
                    "search.elasticsearch.hosts", "127.0.0.1:" + front.httpsPort(),
                    "search.elasticsearch.tls", "true",
                    "search.elasticsearch.ca-certificate", ca.toString(),
                    "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()));
            try (TestGateway trusting = TestGateway.perClass(settings).startNow()) {
                assertThat(put(trusting, "tls/documents/t1").statusCode()).isEqualTo(201);
            }
            assertThat(front.findAll(WireMock.anyRequestedFor(WireMock.anyUrl()))).isNotEmpty();

            settings.remove("search.elasticsearch.ca-certificate");
            try (TestGateway untrusting = TestGateway.perClass(settings).startNow()) {
                HttpResponse<String> refused = put(untrusting, "tls/documents/t2");
                assertThat(refused.statusCode()).isEqualTo(502);
                assertThat(refused.body()).contains("ca-certificate");
            }
        } finally {
            front.stop();
        }
    }

    private static HttpResponse<String> put(TestGateway gateway, String path) throws Exception {
        return gateway.send(gateway.request("/api/v1/search/indexes/" + path)
                .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());
    }

    private static void keytool(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected String engineUrl() {
        return node == null ? "http://127.0.0.1:9" : node.url();
    }

    @Override
    protected String provider() {
        return "elasticsearch";
    }
}
