package org.dotmac.integrations.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * The standalone ActiveMQ Artemis broker, from its distribution on Maven Central (a test dependency),
 * unpacked, created as an instance with one user and run as its own process with the project's
 * shipped {@code docker/artemis/broker.xml}.
 */
public final class ArtemisServer implements AfterAllCallback {

    /** The broker configuration the project ships (docker/artemis/broker.xml). */
    public static final Path SHIPPED_CONFIGURATION = Path.of("docker/artemis/broker.xml");

    /** The user of the instance, role amq in the shipped configuration. */
    public static final String USER = "admin";
    public static final String PASSWORD = "admin";
    /** Two more users, for senders. */
    public static final String SENDER_A = "alice";
    public static final String SENDER_B = "bob";

    private volatile Process process;
    private final int port;
    private final Path home;
    private final Path instance;

    private ArtemisServer() throws Exception {
        port = TestGateway.freePort();
        home = Files.createTempDirectory("artemis");
        String archive = System.getProperty("artemis.distribution");
        if (archive == null || !Files.isRegularFile(Path.of(archive))) {
            throw new IllegalStateException("the Artemis distribution was not found at " + archive
                    + " (system property artemis.distribution, set by the pom)");
        }
        run(List.of("tar", "-xzf", archive, "-C", home.toString()), home);
        Path artemis = home.resolve("apache-artemis-2.40.0/bin/artemis");
        instance = home.resolve("broker");
        run(List.of(artemis.toString(), "create", instance.toString(), "--user", "admin", "--password", "admin",
                "--require-login", "--silent", "--no-web", "--nio", "--host", "127.0.0.1", "--default-port",
                String.valueOf(port), "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor",
                "--no-hornetq-acceptor"), home);
        // two more users of role amq, as senders whose messages the broker names (populate-validated-user)
        Files.writeString(instance.resolve("etc/artemis-users.properties"), "\n" + SENDER_A + " = " + TestSecrets.JMS_PASSWORD_ALICE
                + "\n" + SENDER_B + " = " + TestSecrets.JMS_PASSWORD_BOB + "\n", StandardOpenOption.APPEND);
        Files.writeString(instance.resolve("etc/artemis-roles.properties"), "amq = " + USER + "," + SENDER_A + "," + SENDER_B + "\n");
        // exactly the configuration compose and Kubernetes use; only the acceptor's address is the test's
        Files.copy(SHIPPED_CONFIGURATION, instance.resolve("etc/broker.xml"), StandardCopyOption.REPLACE_EXISTING);
        process = launch();
    }

    private Process launch() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("broker.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_ARGS_APPEND", "-Dartemis.host=127.0.0.1 -Dartemis.port=" + port);
        Process started = builder.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!started.isAlive()) {
                throw new AssertionError("Artemis exited: " + Files.readString(home.resolve("broker.log")));
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return started;
    }

    /**
     * Stops the broker as an operator's restart does (SIGTERM, the journal closed), waits {@code down},
     * and starts it again on the same journal and port.
     */
    public void restart(Duration down) throws Exception {
        stop(process);
        Thread.sleep(down.toMillis());
        process = launch();
    }

    private static void stop(Process broker) throws InterruptedException {
        broker.destroy();
        if (!broker.waitFor(30, TimeUnit.SECONDS)) {
            broker.destroyForcibly();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Removes every message of the queue, scheduled ones (parked repeats) too, with the Artemis CLI. */
    public void purge(String queue) throws Exception {
        run(List.of(instance.resolve("bin/artemis").toString(), "queue", "purge", "--name", queue, "--url", url(),
                "--user", USER, "--password", PASSWORD, "--silent"), home);
    }

    public static ArtemisServer start() {
        try {
            return new ArtemisServer();
        } catch (Exception e) {
            throw new IllegalStateException("the standalone Artemis broker did not start", e);
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    private static void run(List<String> command, Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("setup.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process setup = builder.start();
        if (!setup.waitFor(120, TimeUnit.SECONDS) || setup.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(dir.resolve("setup.log")));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop(process);
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
