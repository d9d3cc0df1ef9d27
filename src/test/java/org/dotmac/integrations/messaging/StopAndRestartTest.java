package org.dotmac.integrations.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 * A gateway on its embedded broker stopped while accepted emails are queued or in flight, and
 * restarted on the same data dir, delivers every request it had answered 202: after SIGTERM (a
 * graceful stop, exit 0) and after SIGKILL (a crash: a 202 is only given once the request is in the
 * broker's journal).
 */
class StopAndRestartTest {

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
        Map<String, String> env = environment(port);

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
            awaitDeliveryOf(accepted);
        }

        List<String> delivered = sendgrid.deliveredIds();
        long duplicates = delivered.size() - delivered.stream().distinct().count();
        System.out.printf("graceful shutdown: %d accepted, %d delivered before SIGTERM completed, %d after restart, "
                + "%d duplicates%n", accepted.size(), deliveredBeforeRestart, delivered.size() - deliveredBeforeRestart,
                duplicates);
        assertThat(duplicates).as("a graceful stop finishes the calls in flight: nothing sent twice").isZero();
        assertThat(exitCode).as("exit code after SIGTERM").isZero();
        assertThat(accepted).hasSize(REQUESTS);
        assertThat(delivered).containsAll(accepted);
        assertThat(deliveredBeforeRestart).as("SIGTERM came while work was queued").isLessThan(REQUESTS);
    }

    @Test
    void everyRequestAnswered202BeforeASigkillIsDeliveredAfterTheRestart() throws Exception {
        // a slow provider and two consumers: a backlog builds while requests are accepted
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "m").withFixedDelay(50));
        int port = TestGateway.freePort();
        Map<String, String> env = environment(port);

        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        int deliveredWhenKilled;
        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            gateway.awaitReady(port);
            for (int c = 0; c < 8; c++) {
                callers.submit(() -> refused.addAndGet(EmailLoad.acceptWhile(port, () -> !stop.get(), accepted)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 300);
            gateway.killHard();
            deliveredWhenKilled = sendgrid.deliveredIds().size();
        } finally {
            stop.set(true);
            callers.shutdown();
            callers.awaitTermination(30, TimeUnit.SECONDS);
        }

        sendgrid.accept();
        env.put("JMS__EMBEDDED__PORT", String.valueOf(TestGateway.freePort()));
        try (GatewayProcess restarted = GatewayProcess.start(env, workDir)) {
            restarted.awaitReady(port);
            awaitDeliveryOf(accepted);
        }
        List<String> delivered = sendgrid.deliveredIds();
        System.out.printf("crash: %d answered 202 before SIGKILL (%d calls got no 202), %d of them delivered before it; "
                + "after the restart %d delivered, %d duplicates%n", accepted.size(), refused.get(),
                deliveredWhenKilled, delivered.size(), delivered.size() - new HashSet<>(delivered).size());
        assertThat(deliveredWhenKilled).as("killed with a backlog").isLessThan(accepted.size());
        assertThat(delivered).containsAll(accepted);
        assertThat(delivered.size() - new HashSet<>(delivered).size())
                .as("sent twice only if in flight at the kill: at most one call per consumer").isLessThanOrEqualTo(2);
    }

    /** A gateway on its embedded broker under data/, delivering through SendGrid with two consumers. */
    private Map<String, String> environment(int port) throws Exception {
        Map<String, String> env = GatewayProcess.environment(port, workDir.resolve("data"));
        env.putAll(sendgrid.gatewayEnvironment());
        env.put("JMS__CONCURRENT_CONSUMERS", "2");
        return env;
    }

    /** Until all are delivered, or deliveries stop for 15 s (a lost request then fails the assertion, not a timeout). */
    private static void awaitDeliveryOf(List<String> accepted) {
        AtomicInteger seen = new AtomicInteger(-1);
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<String> delivered = sendgrid.deliveredIds();
            if (seen.getAndSet(delivered.size()) != delivered.size()) {
                lastProgress.set(System.nanoTime());
            }
            return new HashSet<>(delivered).containsAll(accepted)
                    || System.nanoTime() - lastProgress.get() > TimeUnit.SECONDS.toNanos(15);
        });
    }
}
