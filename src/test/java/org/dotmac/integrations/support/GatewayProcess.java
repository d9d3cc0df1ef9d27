package org.dotmac.integrations.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The gateway as its own process, started like {@code java -jar} would start it, with a real
 * environment: for what only a process shows (environment variables, exit codes, start-up output).
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private GatewayProcess(Map<String, String> environment, Path workDir) throws IOException {
        output = Files.createTempFile("gateway-process", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        // the Artemis distribution (a test dependency) is no jar
        String classPath = String.join(File.pathSeparator, Arrays.stream(
                System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith(".tar.gz")).toList());
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classPath,
                "org.dotmac.integrations.GatewayApplication")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // only what the test sets: the developer's own environment must not change the outcome
        builder.environment().keySet().removeIf(k -> k.contains("__") || k.startsWith("FEATURES_")
                || k.startsWith("CAMEL_") || k.startsWith("EMAIL_") || k.startsWith("SMS_") || k.startsWith("JMS_")
                || k.startsWith("GATEWAY_") || k.startsWith("VAULT_"));
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /**
     * The environment of a gateway process on its own HTTP port, embedded-broker port and data dir,
     * with the tests' API key; add to it what the test is about.
     */
    public static Map<String, String> environment(int httpPort, Path dataDir) throws IOException {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("CAMEL_SERVER_PORT", String.valueOf(httpPort));
        env.put("JMS__EMBEDDED__PORT", String.valueOf(TestGateway.freePort()));
        env.put("GATEWAY__DATA_DIR", dataDir.toString());
        env.put("GATEWAY__API_KEYS", TestGateway.API_KEY);
        return env;
    }

    public static GatewayProcess start(Map<String, String> environment, Path workDir) throws IOException {
        return new GatewayProcess(environment, workDir);
    }

    /** SIGKILL: the process dies on the spot, as in a crash. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as a container runtime or Kubernetes sends it. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the gateway did not exit within " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Waits until readiness answers 200 on the given port. */
    public void awaitReady(int port) {
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the gateway exited with " + process.exitValue() + "; output:\n" + output());
            }
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        SuiteLog.addProcessLog(output);
    }
}
