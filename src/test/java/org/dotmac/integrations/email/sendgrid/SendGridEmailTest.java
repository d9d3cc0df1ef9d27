package org.dotmac.integrations.email.sendgrid;

import org.dotmac.integrations.email.CircuitBreakerTest;
import org.dotmac.integrations.email.EmailProviderSuite;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/** The email suite on SendGrid, plus how SendGrid's answers and failures come back to the caller. */
class SendGridEmailTest extends EmailProviderSuite {

    static final LogCapture logs = LogCapture.install();

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            // these tests provoke failures one by one: the breaker has its own test, CircuitBreakerTest
            "resilience.email.minimum-number-of-calls", "1000",
            "resilience.email.sliding-window-size", "1000",
            // one short parking before the dead-letter queue
            "jms.park-limit", "1",
            "jms.park-delay", "200",
            "email.provider", "sendgrid",
            "email.from-address", "noreply@dotmac.example",
            "email.from-name", "DotMac Ops",
            "email.sendgrid.base-url", sendgrid.baseUrl(),
            "email.sendgrid.api-key", SendGridDouble.API_KEY,
            "email.sendgrid.read-timeout", "1500"));

    @AfterAll
    static void theKeyIsInNoLogLine() {
        logs.close();
        assertThat(logs.text()).contains("Apache Camel").doesNotContain(SendGridDouble.API_KEY);
    }

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected String provider() {
        return "sendgrid";
    }

    @Override
    protected Delivered delivered(String id) throws Exception {
        JsonNode mail = sendgrid.mailSendFor(id);
        if (mail == null) {
            return null;
        }
        JsonNode content = mail.get("content");
        return new Delivered(mail.at("/personalizations/0/to").findValuesAsText("email"),
                mail.at("/personalizations/0/cc").findValuesAsText("email"), mail.get("subject").asText(),
                content.get(0).get("value").asText(), content.size() > 1 ? content.get(1).get("value").asText() : null,
                mail.path("attachments").findValuesAsText("filename"));
    }

    @Test
    void buildsTheMailSendRequestWithTheKeyInTheAuthorizationHeader() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true", """
                {"to": "José Núñez <jose@example.com>", "cc": ["c1@example.com"], "bcc": "audit@example.com",
                 "replyTo": "Help <help@example.com>", "subject": "Olá", "content": "text", "html": "<b>html</b>",
                 "attachments": [{"content": "aGVsbG8=", "filename": "a.txt", "type": "text/plain"}]}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String id = TestGateway.json(response.body()).get("id").asText();

        LoggedRequest request = sendgrid.requests().getLast();
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + SendGridDouble.API_KEY);
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(request.containsHeader("X-API-Key")).as("the caller's key stays at the door").isFalse();
        JsonNode mail = TestGateway.json(request.getBodyAsString());
        assertThat(mail.at("/personalizations/0/to/0/email").asText()).isEqualTo("jose@example.com");
        assertThat(mail.at("/personalizations/0/to/0/name").asText()).isEqualTo("José Núñez");
        assertThat(mail.at("/personalizations/0/bcc/0/email").asText()).isEqualTo("audit@example.com");
        assertThat(mail.at("/personalizations/0/custom_args/gateway_message_id").asText()).isEqualTo(id);
        assertThat(mail.at("/from/email").asText()).isEqualTo("noreply@dotmac.example");
        assertThat(mail.at("/from/name").asText()).isEqualTo("DotMac Ops");
        assertThat(mail.at("/reply_to/email").asText()).isEqualTo("help@example.com");
        assertThat(mail.at("/content/0/type").asText()).isEqualTo("text/plain");
        assertThat(mail.at("/content/1/type").asText()).isEqualTo("text/html");
        assertThat(mail.at("/attachments/0/content").asText()).isEqualTo("aGVsbG8=");
        assertThat(mail.at("/attachments/0/disposition").asText()).isEqualTo("attachment");
    }

    @Test
    void theMessageIdComesFromXMessageId() throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "W86EgYT6SQKk0lRflfLRsA"));

        JsonNode result = send();
        assertThat(result.get("providerMessageId").asText()).isEqualTo("W86EgYT6SQKk0lRflfLRsA");
    }

    @Test
    void aRejectedEmailIsA400ProblemRelayingSendGridsErrors() throws Exception {
        sendgrid.answer(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
                {"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email"}]}"""));

        HttpResponse<String> response = post();
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = TestGateway.json(response.body());
        assertThat(problem.get("detail").asText()).contains("Does not contain a valid address.");
        assertThat(problem.get("errors").findValuesAsText("field")).contains("personalizations.0.to.0.email");
    }

    @Test
    void anEmailTooLargeForSendGridIsA413Problem() throws Exception {
        sendgrid.answer(aResponse().withStatus(413).withBody("{\"errors\":[{\"message\":\"too large\",\"field\":null}]}"));

        assertThat(post().statusCode()).isEqualTo(413);
    }

    @Test
    void refusedCredentialsAreA502AndPutEmailInErrorUntilASuccess() throws Exception {
        for (int status : new int[] {401, 403}) {
            sendgrid.answer(aResponse().withStatus(status).withBody("{\"errors\":[{\"field\":null,\"message\":\"The provided authorization grant is invalid, expired, or revoked\"}]}"));
            HttpResponse<String> response = post();

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("authorization grant is invalid").doesNotContain(SendGridDouble.API_KEY);
            JsonNode email = TestGateway.json(gateway.get("/api/v1/integrations/email").body());
            assertThat(email.get("status").asText()).isEqualTo("ERROR");
            assertThat(TestGateway.healthCheck(TestGateway.json(gateway.get("/observe/health").body()), "integration-email")
                    .get("status").asText()).isEqualTo("DOWN");
            // the instance still accepts and queues email and serves the other integrations
            assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(200);
        }
        sendgrid.accept();
        assertThat(post().statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(gateway.get("/api/v1/integrations/email").body()).get("status").asText()).isEqualTo("READY");
    }

    @Test
    void rateLimitsAndServerErrorsAreTransient503s() throws Exception {
        for (int status : new int[] {429, 500, 503}) {
            // SendGrid's contract gives its 500 an error document; 429 and 503 it does not describe
            sendgrid.answer(status == 500 ? SendGridDouble.serverError() : aResponse().withStatus(status));
            HttpResponse<String> response = post();
            assertThat(response.statusCode()).as("SendGrid " + status).isEqualTo(503);
            assertThat(TestGateway.json(response.body()).get("title").asText()).isEqualTo("Service Unavailable");
        }
        String metrics = gateway.send(gateway.request("/observe/metrics").GET().build()).body();
        assertThat(metrics).contains("integration_requests_total{integration=\"email\",outcome=\"unavailable\",provider=\"sendgrid\"}");
    }

    @Test
    void sendGridsRetryAfterIsPassedOnToTheCaller() throws Exception {
        sendgrid.answer(aResponse().withStatus(429).withHeader("Retry-After", "7"));
        HttpResponse<String> response = post();
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
    }

    @Test
    void noAnswerInTimeIsA504() throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withFixedDelay(3000));

        HttpResponse<String> response = post();
        assertThat(response.statusCode()).isEqualTo(504);
    }

    @Test
    void aSlowButTimelyAnswerIsASuccess() throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "slow").withFixedDelay(700));

        assertThat(send().get("providerMessageId").asText()).isEqualTo("slow");
    }

    @Test
    void aBrokenConnectionIsATransient503() throws Exception {
        sendgrid.answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertThat(post().statusCode()).isEqualTo(503);
    }

    @Test
    void aTransientFailureOnTheQueueIsRetriedThenDeadLettered() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        gateway.sendJms("integrations.email", "{\"to\":\"ana@example.com\",\"subject\":\"retry\",\"content\":\"c\"}");

        var dead = gateway.receiveJms("integrations.dlq", 20_000);
        assertThat(dead).isNotNull();
        assertThat(dead.getIntProperty("DeadLetterStatus")).isEqualTo(503);
        assertThat(dead.getStringProperty("DeadLetterOriginalQueue")).isEqualTo("integrations.email");
        assertThat(dead.getStringProperty("DeadLetterHistory")).contains("SendGrid failed (HTTP 503)");
        // twice (before and after one parking) the first try and jms.max-redeliveries (3) retries
        assertThat(sendgrid.requests()).hasSize(8);
    }

    private HttpResponse<String> post() throws Exception {
        return gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");
    }

    private JsonNode send() throws Exception {
        HttpResponse<String> response = post();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestGateway.json(response.body());
    }

    static Duration timeout() {
        return Duration.ofSeconds(20);
    }
}
