package org.dotmac.integrations.email;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The "email-sendgrid" circuit breaker: opened by transient failures only, closed again through half-open. */
class CircuitBreakerTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "email.provider", "sendgrid",
            "email.sendgrid.base-url", sendgrid.baseUrl(),
            "email.sendgrid.api-key", SendGridDouble.API_KEY,
            "resilience.email.wait-duration-in-open-state", "1s"));

    @BeforeEach
    void closedBreaker() throws Exception {
        sendgrid.accept();
        await().atMost(Duration.ofSeconds(10)).until(() -> post().statusCode() == 200);
    }

    @Test
    void opensAfterFiveTransientFailuresThenSendsNothingAndClosesThroughHalfOpen() throws Exception {
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

        sendgrid.accept();
        await().atMost(Duration.ofSeconds(10)).until(() -> post().statusCode() == 200);
        assertThat(TestGateway.json(gateway.get("/api/v1/integrations/email").body()).get("status").asText()).isEqualTo("READY");
        assertThat(metrics()).containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"email-sendgrid\"[^}]*state=\"closed\"[^}]*} 1\\.0");
    }

    @Test
    void aCallersBadRequestsNeverOpenIt() throws Exception {
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

    private static String metrics() throws Exception {
        return gateway.send(gateway.request("/observe/metrics").GET().build()).body();
    }
}
