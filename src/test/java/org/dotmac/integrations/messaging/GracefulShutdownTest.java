package org.dotmac.integrations.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.dotmac.integrations.support.EmailLoad;
import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM while a few hundred accepted emails are queued or in flight: the gateway stops gracefully
 * and exits 0, and once restarted on the same data dir it delivers every one of them.
 */
class GracefulShutdownTest {

    static final int REQUESTS = 300;

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @TempDir
    Path workDir;

    @Test
    void everyAcceptedRequestIsDeliveredAcrossASigtermAndARestart() throws Exception {
        // a provider that takes a while, so that work is queued and in flight when SIGTERM comes
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "slow").withFixedDelay(20));
        int port = TestGateway.freePort();
        Map<String, String> env = GatewayProcess.environment(port, workDir.resolve("data"));
        env.putAll(sendgrid.gatewayEnvironment());
        env.put("JMS__CONCURRENT_CONSUMERS", "2");

        List<String> accepted;
        int exitCode;
        try (GatewayProcess first = GatewayProcess.start(env, workDir)) {
            first.awaitReady(port);
            accepted = EmailLoad.accept(port, REQUESTS);
            first.terminate();
            exitCode = first.awaitExit(Duration.ofSeconds(60));
        }
        int deliveredBeforeRestart = sendgrid.deliveredIds().size();

        try (GatewayProcess second = GatewayProcess.start(env, workDir)) {
            second.awaitReady(port);
            await().atMost(Duration.ofSeconds(90)).until(() -> sendgrid.deliveredIds().containsAll(accepted));
        }

        List<String> delivered = sendgrid.deliveredIds();
        long duplicates = delivered.size() - delivered.stream().distinct().count();
        System.out.printf("graceful shutdown: %d accepted, %d delivered before SIGTERM completed, %d after restart, "
                + "%d duplicates%n", accepted.size(), deliveredBeforeRestart, delivered.size() - deliveredBeforeRestart,
                duplicates);
        assertThat(exitCode).as("exit code after SIGTERM").isZero();
        assertThat(accepted).hasSize(REQUESTS);
        assertThat(delivered).containsAll(accepted);
        assertThat(deliveredBeforeRestart).as("SIGTERM came while work was queued").isLessThan(REQUESTS);
    }

}
