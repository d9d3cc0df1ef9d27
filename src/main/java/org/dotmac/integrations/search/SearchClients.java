package org.dotmac.integrations.search;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.Settings;

/**
 * The engine clients the camel-elasticsearch and camel-opensearch components are given, instead
 * of the ones they would build: those know only a user and password fixed at start. These add an
 * API key or basic credentials per request (read from the settings each time, so a Vault rotation
 * needs no restart) and trust a CA certificate of the operator's choosing.
 */
public final class SearchClients {

    private SearchClients() {
    }

    /** {@code host:port} or {@code scheme://host:port}, comma-separated; https when the tls flag is on. */
    record Host(String scheme, String host, int port) {
    }

    static List<Host> hosts(Settings settings, String provider, int defaultPort) {
        String key = "search." + provider + ".hosts";
        String configured = settings.get(key).orElse("").trim();
        if (configured.isEmpty()) {
            throw new IllegalStateException(key + " is not set");
        }
        boolean tls = settings.isOn("search." + provider + ".tls");
        List<Host> hosts = new ArrayList<>();
        for (String entry : configured.split(",")) {
            String value = entry.trim();
            URI uri = URI.create(value.contains("://") ? value : (tls ? "https://" : "http://") + value);
            hosts.add(new Host(uri.getScheme(), uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort()));
        }
        return hosts;
    }

    /** The Authorization header value for this request: the API key, else basic credentials, else none. */
    static String authorization(Settings settings, String provider) {
        String apiKey = settings.get("search." + provider + ".api-key").orElse("");
        if (!apiKey.isBlank()) {
            return "ApiKey " + apiKey;
        }
        String user = settings.get("search." + provider + ".username").orElse("");
        if (!user.isBlank()) {
            String password = settings.get("search." + provider + ".password").orElse("");
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /** An SSL context trusting the configured CA certificate (PEM), or null for the JVM's default trust. */
    static SSLContext sslContext(Settings settings, String provider) {
        String path = settings.get("search." + provider + ".ca-certificate").orElse("");
        if (path.isBlank()) {
            return null;
        }
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("search." + provider + ".ca-certificate could not be read as a PEM certificate: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    public static org.elasticsearch.client.RestClient elasticsearch(Settings settings) {
        int connect = settings.getInt("search.elasticsearch.connect-timeout", 5000);
        int read = settings.getInt("search.elasticsearch.read-timeout", 30000);
        SSLContext ssl = sslContext(settings, "elasticsearch");
        return org.elasticsearch.client.RestClient.builder(hosts(settings, "elasticsearch", 9200).stream()
                        .map(h -> new org.apache.http.HttpHost(h.host(), h.port(), h.scheme()))
                        .toArray(org.apache.http.HttpHost[]::new))
                .setRequestConfigCallback(config -> config.setConnectTimeout(connect).setSocketTimeout(read))
                .setHttpClientConfigCallback(client -> {
                    client.addInterceptorLast((org.apache.http.HttpRequestInterceptor) (request, context) -> {
                        String authorization = authorization(settings, "elasticsearch");
                        if (authorization != null) {
                            request.setHeader("Authorization", authorization);
                        }
                    });
                    if (ssl != null) {
                        client.setSSLContext(ssl);
                    }
                    return client;
                })
                .build();
    }

    public static org.opensearch.client.RestClient opensearch(Settings settings) {
        int connect = settings.getInt("search.opensearch.connect-timeout", 5000);
        int read = settings.getInt("search.opensearch.read-timeout", 30000);
        SSLContext ssl = sslContext(settings, "opensearch");
        return org.opensearch.client.RestClient.builder(hosts(settings, "opensearch", 9200).stream()
                        .map(h -> new org.apache.hc.core5.http.HttpHost(h.scheme(), h.host(), h.port()))
                        .toArray(org.apache.hc.core5.http.HttpHost[]::new))
                .setRequestConfigCallback(config -> config
                        .setConnectTimeout(org.apache.hc.core5.util.Timeout.ofMilliseconds(connect))
                        .setResponseTimeout(org.apache.hc.core5.util.Timeout.ofMilliseconds(read)))
                .setHttpClientConfigCallback(client -> {
                    client.addRequestInterceptorLast((request, entity, context) -> {
                        String authorization = authorization(settings, "opensearch");
                        if (authorization != null) {
                            request.setHeader("Authorization", authorization);
                        }
                    });
                    if (ssl != null) {
                        client.setConnectionManager(
                                org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder.create()
                                        .setTlsStrategy(org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder.create()
                                                .setSslContext(ssl).build())
                                        .build());
                    }
                    return client;
                })
                .build();
    }

    /** The engine's cluster health with the gateway's credentials: 401 refused, 403 (may not ask) unknown. */
    public static CredentialCheck credentialCheck(org.elasticsearch.client.RestClient client) {
        return () -> {
            try {
                client.performRequest(new org.elasticsearch.client.Request("GET", "/_cluster/health"));
                return CredentialCheck.Outcome.accepted("GET /_cluster/health answered 200");
            } catch (org.elasticsearch.client.ResponseException e) {
                return CredentialCheck.Outcome.ofHttpStatus("GET /_cluster/health",
                        e.getResponse().getStatusLine().getStatusCode());
            }
        };
    }

    /** As {@link #credentialCheck(org.elasticsearch.client.RestClient)}, for OpenSearch's client. */
    public static CredentialCheck credentialCheck(org.opensearch.client.RestClient client) {
        return () -> {
            try {
                client.performRequest(new org.opensearch.client.Request("GET", "/_cluster/health"));
                return CredentialCheck.Outcome.accepted("GET /_cluster/health answered 200");
            } catch (org.opensearch.client.ResponseException e) {
                return CredentialCheck.Outcome.ofHttpStatus("GET /_cluster/health",
                        e.getResponse().getStatusLine().getStatusCode());
            }
        };
    }
}
