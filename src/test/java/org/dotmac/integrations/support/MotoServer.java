package org.dotmac.integrations.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * moto's AWS server ({@code moto_server}) on loopback, for SES and SNS: a real implementation of their
 * APIs that checks what real AWS checks (an unverified sender is refused) and shows what it received
 * ({@code /moto-api/data.json}). Where the machine has no {@code moto_server}, the test class is
 * skipped, saying so.
 */
public final class MotoServer implements BeforeAllCallback, AfterAllCallback {

    private final int port;
    private Process process;
    private Path binary;

    private MotoServer(int port) {
        this.port = port;
    }

    /** Register as the first extension of a class: its port is known at once, the server runs from beforeAll. */
    public static MotoServer onFreePort() {
        try {
            return new MotoServer(TestGateway.freePort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<Path> binary = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "moto_server")).filter(Files::isExecutable).findFirst();
        if (binary.isEmpty()) {
            String reason = "SKIPPED " + context.getDisplayName() + ": moto_server is not on PATH (pip install 'moto[server]')";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        this.binary = binary.get();
        start();
    }

    /** Starts the server again on its port, empty (after {@link #stop()}: AWS back after an outage). */
    public void start() throws Exception {
        process = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited on port " + port);
            }
            try {
                data();
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Freezes the server (SIGSTOP): connections are taken but never answered, and nothing it holds is lost. */
    public void freeze() throws Exception {
        signal("-STOP");
    }

    /** Lets a frozen server go on (SIGCONT). */
    public void thaw() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " failed");
        }
    }

    /** Kills the server: AWS unreachable. */
    public void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    /** Everything moto holds, by service: {@code ses.RawMessage}, {@code sns.SMS}, ... */
    public JsonNode data() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(endpoint() + "/moto-api/data.json")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("moto answered " + response.statusCode());
        }
        return TestGateway.json(response.body());
    }

    public void reset() throws IOException, InterruptedException {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }
}
