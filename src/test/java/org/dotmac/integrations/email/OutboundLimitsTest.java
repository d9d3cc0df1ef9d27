package org.dotmac.integrations.email;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * EMAIL__SENDGRID__RATE_LIMIT=1: the instance calls SendGrid at most once a second whatever the door;
 * a synchronous call over it waits up to the rate-limit wait, then gets 503 with Retry-After; queued
 * requests over it are parked and all delivered, one a second.
 */
class OutboundLimitsTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "email.sendgrid.rate-limit", "1", "email.sendgrid.rate-limit-wait", "0", "jms.park-delay", "1000"));

    @Test
    void synchronousCallsOverTheRateAre503WithRetryAfterAndAreNotSent() throws Exception {
        List<HttpResponse<String>> answers = sendAtOnce(gateway, 3, "sync");

        assertThat(answers).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        assertThat(answers).filteredOn(r -> r.statusCode() == 503).hasSize(2).allSatisfy(r -> {
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(r.body()).contains("rate-limit");
        });
        assertThat(sendgrid.requests()).as("nothing sent over the limit").hasSize(1);
    }

    @Test
    void aSynchronousCallWaitsForItsTurnUpToTheRateLimitWait() throws Exception {
        // a second instance on the first one's broker, allowed to wait 5 s for its turn
        try (TestGateway waiting = TestGateway.perClass(sendgrid.gatewaySettings("email.sendgrid.rate-limit", "1",
                "email.sendgrid.rate-limit-wait", "5000", "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort())).startNow()) {
            List<HttpResponse<String>> answers = sendAtOnce(waiting, 3, "waiting");

            assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
            List<SendGridDouble.Taken> taken = sendgrid.taken();
            assertThat(taken).hasSize(3);
            assertThat(taken.get(2).receivedAt() - taken.get(0).receivedAt()).as("one a second").isGreaterThanOrEqualTo(1800);
        }
    }

    @Test
    void queuedRequestsOverTheRateAreParkedAndAllDeliveredOneASecond() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(gateway.postJson("/api/v1/notifications/email",
                    "{\"to\":\"ana@example.com\",\"subject\":\"queued " + i + "\",\"content\":\"c\"}").statusCode()).isEqualTo(202);
        }

        List<SendGridDouble.Taken> taken = await().atMost(Duration.ofSeconds(60))
                .until(sendgrid::taken, t -> t.size() >= 4);
        assertThat(taken).extracting(SendGridDouble.Taken::subject).containsExactlyInAnyOrder("queued 0", "queued 1", "queued 2", "queued 3");
        for (int i = 1; i < taken.size(); i++) {
            assertThat(taken.get(i).receivedAt() - taken.get(i - 1).receivedAt()).as("at most one a second")
                    .isGreaterThanOrEqualTo(900);
        }
        assertThat(TestGateway.json(gateway.get("/api/v1/dead-letters").body()).toString()).doesNotContain("queued ");
    }

    private static List<HttpResponse<String>> sendAtOnce(TestGateway target, int count, String subject) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String body = "{\"to\":\"ana@example.com\",\"subject\":\"" + subject + " " + i + "\",\"content\":\"c\"}";
                calls.add(() -> target.postJson("/api/v1/notifications/email?wait=true", body));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : pool.invokeAll(calls)) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            pool.shutdown();
        }
    }
}
