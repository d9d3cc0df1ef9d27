package org.dotmac.integrations.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A real Elasticsearch 9 node, assembled from the jars that the pom copies to
 * {@code target/elasticsearch-node} (system property {@code elasticsearch.node}) and run in its own
 * JVM by a small launcher in source-file mode. The node needs Java 21 or newer: the JDK is looked for
 * in ES_JAVA_HOME, JAVA_HOME and the running JVM, in that order.
 */
public final class ElasticsearchNode implements AfterAllCallback {

    private static final int MIN_JAVA = 21;

    private final Process process;
    private final int port;
    private final Path home;

    private ElasticsearchNode(Path java) throws Exception {
        Path jars = Path.of(System.getProperty("elasticsearch.node", "target/elasticsearch-node"));
        if (!Files.isDirectory(jars.resolve("lib"))) {
            throw new IllegalStateException("the Elasticsearch jars were not found in " + jars
                    + " (system property elasticsearch.node, filled by the pom in process-test-resources)");
        }
        port = TestGateway.freePort();
        int transportPort = TestGateway.freePort();
        home = Files.createTempDirectory("elasticsearch");
        Path module = Files.createDirectories(home.resolve("modules/transport-netty4"));
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("config"));
        try (Stream<Path> files = Files.list(jars.resolve("transport-netty4"))) {
            for (Path jar : files.toList()) {
                Files.copy(jar, module.resolve(jar.getFileName()));
                if (jar.getFileName().toString().startsWith("transport-netty4-")) {
                    copyDescriptor(jar, module);
                }
            }
        }
        Path launcher = home.resolve("NodeLauncher.java");
        try (InputStream source = ElasticsearchNode.class.getResourceAsStream("/elasticsearch-node/NodeLauncher.java")) {
            Files.copy(source, launcher);
        }
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xms256m", "-Xmx256m",
                "--module-path", jars.resolve("lib").toString(), "--add-modules", "ALL-MODULE-PATH",
                "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED,org.elasticsearch.nativeaccess,org.apache.lucene.core",
                launcher.toString(), home.toString(), String.valueOf(port), String.valueOf(transportPort)));
        process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("node.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the Elasticsearch node exited: " + Files.readString(home.resolve("node.log")));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url() + "/_cluster/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * Starts a node, or says why it cannot: the reason is for {@code Assumptions.assumeTrue}, so that
     * only the Elasticsearch tests are skipped, with the reason in the test output.
     */
    public static ElasticsearchNode start() {
        Path java = findJava().orElseThrow(() -> new IllegalStateException(
                "no JDK " + MIN_JAVA + "+ for the Elasticsearch node in ES_JAVA_HOME, JAVA_HOME or the running JVM"));
        try {
            return new ElasticsearchNode(java);
        } catch (Exception e) {
            throw new IllegalStateException("the Elasticsearch node did not start", e);
        }
    }

    /** Why the node cannot run on this machine, or empty when it can. */
    public static Optional<String> unavailableReason() {
        return findJava().isPresent() ? Optional.empty() : Optional.of(
                "skipped: the Elasticsearch 9 node needs a JDK " + MIN_JAVA + " or newer, and none was found in "
                        + "ES_JAVA_HOME, JAVA_HOME or the running JVM (java.home=" + System.getProperty("java.home") + ")");
    }

    static Optional<Path> findJava() {
        return Stream.of(System.getenv("ES_JAVA_HOME"), System.getenv("JAVA_HOME"), System.getProperty("java.home"))
                .filter(home -> home != null && !home.isBlank())
                .map(Path::of)
                .filter(home -> Files.isExecutable(home.resolve("bin/java")) && featureVersion(home) >= MIN_JAVA)
                .map(home -> home.resolve("bin/java"))
                .findFirst();
    }

    /** The JDK's feature version from its {@code release} file (the running JVM's from Runtime). */
    private static int featureVersion(Path home) {
        if (home.equals(Path.of(System.getProperty("java.home")))) {
            return Runtime.version().feature();
        }
        try (Stream<String> lines = Files.lines(home.resolve("release"))) {
            return lines.filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(v -> Integer.parseInt(v.split("[.+-]")[0]))
                    .findFirst().orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void copyDescriptor(Path jar, Path module) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (String name : List.of("plugin-descriptor.properties", "entitlement-policy.yaml")) {
                var entry = zip.getEntry("META-INF/es-plugins/transport-netty4/" + name);
                if (entry != null) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, module.resolve(name));
                    }
                }
            }
        }
    }

    /** e.g. {@code http://127.0.0.1:40123} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** As {@code search.elasticsearch.hosts} wants it: {@code 127.0.0.1:40123}. */
    public String hosts() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
