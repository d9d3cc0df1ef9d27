package org.dotmac.integrations.sms.twilio;

import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.dotmac.integrations.notification.NotificationResult;
import org.dotmac.integrations.sms.SmsRequest;
import org.dotmac.integrations.sms.SmsProviderSuite;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TwilioDouble;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The SMS suite through Twilio's message creator (camel-twilio), and Twilio's errors as problems. */
class TwilioSmsTest extends SmsProviderSuite {

    static final String SMS = "{\"to\":\"+14155550100\",\"message\":\"Your code is 1234\"}";

    static final LogCapture logs = LogCapture.install();

    @RegisterExtension
    static final TwilioDouble twilio = TwilioDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(twilioSettings(Map.of(
            "sms.twilio.from", TwilioDouble.FROM,
            "sms.twilio.status-callback", "https://hooks.dotmac.example/sms-status")));

    @AfterAll
    static void theAuthTokenIsInNoLogLine() {
        logs.close();
        assertThat(logs.text()).contains("Apache Camel").doesNotContain(TwilioDouble.AUTH_TOKEN);
    }

    static Map<String, String> twilioSettings(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                // these tests provoke failures one by one: the breaker is tested in CircuitBreakerTest
                "resilience.sms.minimum-number-of-calls", "1000",
                "resilience.sms.sliding-window-size", "1000",
                "sms.provider", "twilio",
                "sms.twilio.account-sid", TwilioDouble.ACCOUNT_SID,
                "sms.twilio.auth-token", TwilioDouble.AUTH_TOKEN,
                "sms.twilio.base-url", twilio.baseUrl(),
                "sms.twilio.read-timeout", "1500"));
        settings.putAll(more);
        return settings;
    }

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected String provider() {
        return "twilio";
    }

    @Override
    protected String providerStatus() {
        return "queued";
    }

    @Override
    protected Delivered delivered(String text) {
        for (LoggedRequest request : twilio.requests()) {
            Map<String, String> form = form(request);
            if (text.equals(form.get("Body"))) {
                return new Delivered(form.get("To"), text);
            }
        }
        return null;
    }

    @Test
    void createsTheMessageWithBasicAuthAndAnswersTwilioStatusAndSid() throws Exception {
        twilio.answer(TwilioDouble.created("SM0123456789abcdef0123456789abcdef", "queued"));

        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/sms?wait=true", SMS);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = TestGateway.json(response.body());
        assertThat(result.get("provider").asText()).isEqualTo("twilio");
        assertThat(result.get("status").asText()).isEqualTo("sent");
        assertThat(result.get("providerStatus").asText()).isEqualTo("queued");
        assertThat(result.get("providerMessageId").asText()).isEqualTo("SM0123456789abcdef0123456789abcdef");
        LoggedRequest request = twilio.requests().getLast();
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (TwilioDouble.ACCOUNT_SID + ":" + TwilioDouble.AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.containsHeader("X-API-Key")).as("the caller's key stays at the door").isFalse();
        Map<String, String> form = form(request);
        assertThat(form).containsEntry("To", "+14155550100").containsEntry("From", TwilioDouble.FROM)
                .containsEntry("Body", "Your code is 1234")
                .containsEntry("StatusCallback", "https://hooks.dotmac.example/sms-status");
    }

    @Test
    void everyDoorReachesTwilio() throws Exception {
        assertThat(gateway.postJson("/api/v1/notifications/sms", SMS).statusCode()).isEqualTo(202);
        JsonNode viaJms = TestGateway.json(gateway.requestJms("integrations.sms", SMS));
        Object viaDirect = gateway.direct("direct:sms-send", new SmsRequest("+14155550100", "direct"));
        JsonNode generic = TestGateway.json(gateway.postJson("/api/v1/notifications?wait=true",
                "{\"type\":\"sms\",\"recipient\":\"+14155550100\",\"message\":\"generic\"}").body());

        assertThat(viaJms.get("provider").asText()).isEqualTo("twilio");
        assertThat(((NotificationResult) viaDirect).provider()).isEqualTo("twilio");
        assertThat(generic.get("provider").asText()).isEqualTo("twilio");
        await().atMost(Duration.ofSeconds(20)).until(() -> twilio.requests().size() == 4);
    }

    @ParameterizedTest(name = "Twilio {0}")
    @CsvSource(delimiter = '|', value = {
            "21211 | The 'To' number 4155550100 is not a valid phone number.",
            "21610 | Attempt to send to unsubscribed recipient",
            "21408 | Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
            "21614 | 'To' number is not a valid mobile number"})
    void theCallersMistakesAre400ProblemsRelayingTwilio(int code, String message) throws Exception {
        twilio.answer(TwilioDouble.error(400, code, message));

        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/sms?wait=true", SMS);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = TestGateway.json(response.body());
        assertThat(problem.get("detail").asText()).contains("Twilio error " + code).contains(message);
        assertThat(problem.get("errors").findValuesAsText("field")).contains("to");
    }

    @Test
    void refusedCredentialsAreA502AndPutSmsInError() throws Exception {
        twilio.answer(TwilioDouble.error(401, 20003, "Authenticate"));

        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/sms?wait=true", SMS);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).doesNotContain(TwilioDouble.AUTH_TOKEN);
        assertThat(TestGateway.json(gateway.get("/api/v1/integrations/sms").body()).get("status").asText()).isEqualTo("ERROR");
        JsonNode check = TestGateway.healthCheck(TestGateway.json(gateway.get("/observe/health").body()), "integration-sms");
        assertThat(check.get("status").asText()).isEqualTo("DOWN");
        assertThat(gateway.get("/observe/health/ready").statusCode()).as("readiness with SMS in ERROR").isEqualTo(200);

        twilio.accept();
        assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true", SMS).statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(gateway.get("/api/v1/integrations/sms").body()).get("status").asText()).isEqualTo("READY");
    }

    @Test
    void rateLimitsAndServerErrorsAreTransient503s() throws Exception {
        twilio.answer(TwilioDouble.error(429, 20429, "Too Many Requests"));
        assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true", SMS).statusCode()).isEqualTo(503);
        twilio.answer(TwilioDouble.error(500, 20500, "Internal Server Error"));
        assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true", SMS).statusCode()).isEqualTo(503);
        assertThat(twilio.requests()).as("one call each: the SDK does not retry behind the gateway").hasSize(2);
    }

    @Test
    void twiliosRetryAfterIsPassedOnToTheCaller() throws Exception {
        twilio.answer(TwilioDouble.error(429, 20429, "Too Many Requests").withHeader("Retry-After", "9"));
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/sms?wait=true", SMS);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("9");
        twilio.answer(TwilioDouble.error(503, 20503, "Service Unavailable"));
        assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true", SMS).headers().firstValue("Retry-After")).as("no stale Retry-After from the answer before").isEmpty();
    }

    @Test
    void noAnswerInTimeIsA504AndABrokenConnectionA503() throws Exception {
        twilio.answer(TwilioDouble.created("SM" + "5".repeat(32), "queued").withFixedDelay(3000));
        assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true", SMS).statusCode()).isEqualTo(504);

        twilio.answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true", SMS).statusCode()).isEqualTo(503);
    }

    @Test
    void sendsFromAMessagingServiceWhenOneIsSet() throws Exception {
        String service = "MG0123456789abcdef0123456789abcdef";
        // a second gateway on the first one's broker: one embedded broker per JVM
        try (TestGateway viaService = TestGateway.perClass(twilioSettings(Map.of("sms.twilio.messaging-service-sid", service,
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()))).startNow()) {
            assertThat(viaService.postJson("/api/v1/notifications/sms?wait=true", SMS).statusCode()).isEqualTo(200);
        }
        Map<String, String> form = form(twilio.requests().getLast());
        assertThat(form).containsEntry("MessagingServiceSid", service).doesNotContainKey("From");
    }

    @Test
    void aFallbackProviderServesWhileTwilioIsUnavailableAndTheResultNamesIt() throws Exception {
        Map<String, String> settings = twilioSettings(Map.of("sms.twilio.from", TwilioDouble.FROM,
                "sms.fallback-providers", "outbox", "gateway.profile", "development",
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()));
        twilio.answer(TwilioDouble.error(503, 20500, "Service unavailable"));
        try (TestGateway withFallback = TestGateway.perClass(settings).startNow()) {
            var sent = withFallback.postJson("/api/v1/notifications/sms?wait=true", SMS);

            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            assertThat(TestGateway.json(sent.body()).path("provider").asText()).isEqualTo("outbox");
            assertThat(withFallback.outbox().get("messages").toString()).contains("Your code is 1234");
            assertThat(twilio.requests()).as("Twilio was tried first").isNotEmpty();
        } finally {
            twilio.accept();
        }
    }

    @Test
    void authenticatesWithAnApiKeyAndSecretInsteadOfTheAuthToken() throws Exception {
        String keySid = TwilioDouble.API_KEY_SID;
        String secret = TestSecrets.TWILIO_API_KEY_SECRET;
        Map<String, String> settings = twilioSettings(Map.of("sms.twilio.from", TwilioDouble.FROM,
                "sms.twilio.api-key-sid", keySid, "sms.twilio.api-key-secret", secret,
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()));
        settings.put("sms.twilio.auth-token", "");
        try (TestGateway viaApiKey = TestGateway.perClass(settings).startNow()) {
            assertThat(viaApiKey.postJson("/api/v1/notifications/sms?wait=true", SMS).statusCode()).isEqualTo(200);
        }
        LoggedRequest request = twilio.requests().getLast();
        assertThat(request.getUrl()).contains("/Accounts/" + TwilioDouble.ACCOUNT_SID + "/");
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (keySid + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new HashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }
}
