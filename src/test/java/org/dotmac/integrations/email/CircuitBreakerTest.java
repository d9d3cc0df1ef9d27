package org.dotmac.integrations.email;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TwilioDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Provider circuit breakers: opened by transient failures only, one per provider, closed again through half-open. */
public class CircuitBreakerTest {

    @RegisterExtension
    protected static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    protected static final TwilioDouble twilio = TwilioDouble.start();

    @RegisterExtension
    protected static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "resilience.email.wait-duration-in-open-state", "1s",
            // the call timeout: a slower answer is a transient failure
            "email.sendgrid.read-timeout", "700",
            "sms.provider", "twilio",
            "sms.twilio.account-sid", TwilioDouble.ACCOUNT_SID,
            "sms.twilio.auth-token", TwilioDouble.AUTH_TOKEN,
            "sms.twilio.from", TwilioDouble.FROM,
            "sms.twilio.base-url", twilio.baseUrl()));

    @BeforeEach
    protected void closedBreaker() throws Exception {
        sendgrid.accept();
        await().atMost(Duration.ofSeconds(10)).until(() -> post().statusCode() == 200);
    }

    @Test
    protected void opensAfterFiveTransientFailuresThenSendsNothingAndClosesThroughHalfOpen() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        for (int i = 0; i < 5; i++) {
            assertThat(post().statusCode()).isEqualTo(503);
        }
        int calls = sendgrid.requests().size();

        HttpResponse<String> refused = post();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("circuit breaker of email-sendgrid is open");
        assertThat(sendgrid.requests()).as("an open breaker sends nothing").hasSize(calls);
        assertThat(TestGateway.json(gateway.get("/api/v1/integrations/email").body()).get("status").asText()).isEqualTo("ERROR");
        assertThat(metrics()).containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"email-sendgrid\"[^}]*state=\"open\"[^}]*} 1\\.0");

        // the open wait (1 s) ends without any call: the breaker is half-open by itself, and no longer ERROR
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics().matches(
                "(?s).*resilience4j_circuitbreaker_state\\{[^}]*name=\"email-sendgrid\"[^}]*state=\"half_open\"[^}]*} 1\\.0.*"));
        assertThat(sendgrid.requests()).as("no call made it half-open").hasSize(calls);
        assertThat(TestGateway.json(gateway.get("/api/v1/integrations/email").body()).get("status").asText()).isEqualTo("READY");

        sendgrid.accept();
        await().atMost(Duration.ofSeconds(10)).until(() -> post().statusCode() == 200);
        assertThat(TestGateway.json(gateway.get("/api/v1/integrations/email").body()).get("status").asText()).isEqualTo("READY");
        assertThat(metrics()).containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"email-sendgrid\"[^}]*state=\"closed\"[^}]*} 1\\.0");
    }

    @Test
    protected void slowAnswersThatSucceedOpenTheBreakerPastTheSlowCallThreshold() throws Exception {
        Map<String, String> settings = sendgrid.gatewaySettings(
                "resilience.email.slow-call-duration-threshold", "200ms",
                "resilience.email.wait-duration-in-open-state", "30s",
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort());
        // answered, but slower than the threshold: each call succeeds and counts as slow
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "slow").withFixedDelay(400));
        try (TestGateway slow = TestGateway.perClass(settings).startNow()) {
            for (int i = 0; i < 5; i++) {
                var sent = slow.postJson("/api/v1/notifications/email?wait=true",
                        "{\"to\":\"ana@example.com\",\"subject\":\"slow\",\"content\":\"c\"}");
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            }
            int calls = sendgrid.requests().size();

            var refused = slow.postJson("/api/v1/notifications/email?wait=true",
                    "{\"to\":\"ana@example.com\",\"subject\":\"slow\",\"content\":\"c\"}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.body()).contains("circuit breaker of email-sendgrid is open");
            assertThat(sendgrid.requests()).as("an open breaker sends nothing").hasSize(calls);
        }
    }

    @Test
    protected void everyKindOfTransientFailureCountsTowardsOpening() throws Exception {
        int before = sendgrid.requests().size();
        var faults = java.util.List.of(
                SendGridDouble.serverError(),
                aResponse().withStatus(429).withHeader("Retry-After", "1"),
                aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER),
                aResponse().withStatus(202).withFixedDelay(1500),
                aResponse().withStatus(503));
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var fault : faults) {
            sendgrid.answer(fault);
            statuses.add(post().statusCode());
        }
        // 500, 429, reset: unavailable (503); the answer past the read timeout: 504
        assertThat(statuses).containsExactly(503, 503, 503, 504, 503);
        sendgrid.accept();
        HttpResponse<String> refused = post();
        assertThat(refused.body()).contains("circuit breaker of email-sendgrid is open");
        assertThat(sendgrid.requests()).as("the open breaker sent nothing").hasSize(before + faults.size());
    }

    @Test
    protected void twiliosBreakerOpensOnItsOwnAndLeavesEmailAlone() throws Exception {
        twilio.answer(TwilioDouble.error(500, 20500, "Internal Server Error"));
        for (int i = 0; i < 5; i++) {
            assertThat(sms().statusCode()).isEqualTo(503);
        }
        int calls = twilio.requests().size();

        assertThat(sms().body()).contains("circuit breaker of sms-twilio is open");
        assertThat(twilio.requests()).hasSize(calls);
        assertThat(TestGateway.json(gateway.get("/api/v1/integrations/sms").body()).get("status").asText()).isEqualTo("ERROR");
        assertThat(post().statusCode()).as("email has its own breaker").isEqualTo(200);
        twilio.accept();
    }

    @Test
    protected void aCallersBadRequestsNeverOpenIt() throws Exception {
        sendgrid.answer(aResponse().withStatus(400).withBody("{\"errors\":[{\"message\":\"bad\",\"field\":\"x\"}]}"));
        for (int i = 0; i < 8; i++) {
            assertThat(post().statusCode()).isEqualTo(400);
        }
        sendgrid.accept();
        assertThat(post().statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> post() throws Exception {
        return gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");
    }

    private static HttpResponse<String> sms() throws Exception {
        return gateway.postJson("/api/v1/notifications/sms?wait=true", "{\"to\":\"+14155550100\",\"message\":\"m\"}");
    }

    private static String metrics() throws Exception {
        return gateway.send(gateway.request("/observe/metrics").GET().build()).body();
    }
}
