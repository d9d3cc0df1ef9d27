package org.dotmac.integrations.sms.twilio;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TwilioDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /webhooks/twilio through the gateway's HTTP port as Twilio calls it from behind a proxy: signed
 * for the public URL the gateway asked for, with the account's auth token.
 */
class TwilioWebhookTest {

    static final String PUBLIC = "https://gateway.dotmac.example";

    @RegisterExtension
    static final TwilioDouble twilio = TwilioDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "sms.provider", "twilio",
            "sms.twilio.account-sid", TwilioDouble.ACCOUNT_SID,
            "sms.twilio.auth-token", TwilioDouble.AUTH_TOKEN,
            "sms.twilio.base-url", twilio.baseUrl(),
            "sms.twilio.from", TwilioDouble.FROM,
            "gateway.public-url", PUBLIC));

    /** Sends an SMS now; answers {id, providerMessageId}. */
    private static JsonNode sent() throws Exception {
        twilio.accept();
        HttpResponse<String> sent = gateway.postJson("/api/v1/notifications/sms?wait=true",
                "{\"to\":\"+14155550100\",\"message\":\"hello\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        return TestGateway.json(sent.body());
    }

    private static HttpResponse<String> callback(Map<String, String> form, String token) throws Exception {
        Map<String, List<String>> params = new LinkedHashMap<>();
        form.forEach((k, v) -> params.put(k, List.of(v)));
        String signature = TwilioEvents.sign(token, PUBLIC + "/webhooks/twilio", params);
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return gateway.send(gateway.request("/webhooks/twilio").header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioEvents.SIGNATURE, signature).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Map<String, String> status(String sid, String status) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", TwilioDouble.ACCOUNT_SID);
        form.put("From", TwilioDouble.FROM);
        form.put("MessageSid", sid);
        form.put("MessageStatus", status);
        form.put("SmsSid", sid);
        form.put("SmsStatus", status);
        form.put("To", "+14155550100");
        return form;
    }

    private static List<String> events(String id) throws Exception {
        List<String> events = new ArrayList<>();
        TestGateway.json(gateway.get("/api/v1/notifications/" + id).body()).get("events")
                .forEach(e -> events.add(e.get("event").asText()));
        return events;
    }

    @Test
    void theGatewayAsksForCallbacksAtItsPublicUrlAndASignedDeliveryMarksTheSmsDelivered() throws Exception {
        JsonNode sent = sent();
        String id = sent.get("id").asText();
        String sid = sent.get("providerMessageId").asText();
        String created = twilio.requests().getLast().getBodyAsString();
        assertThat(URLDecoder.decode(created, StandardCharsets.UTF_8)).contains("StatusCallback=" + PUBLIC + "/webhooks/twilio");

        assertThat(callback(status(sid, "sent"), TwilioDouble.AUTH_TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> delivered = callback(status(sid, "delivered"), TwilioDouble.AUTH_TOKEN);

        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
        JsonNode record = TestGateway.json(gateway.get("/api/v1/notifications/" + id).body());
        assertThat(record.get("status").asText()).isEqualTo("delivered");
        assertThat(events(id)).containsExactly("accepted", "sent", "delivered");
    }

    @Test
    void aFailedMessageIsFailedWithTwilioErrorCodeAndARepeatChangesNothing() throws Exception {
        JsonNode sent = sent();
        String id = sent.get("id").asText();
        Map<String, String> failed = status(sent.get("providerMessageId").asText(), "failed");
        failed.put("ErrorCode", "30003");

        callback(failed, TwilioDouble.AUTH_TOKEN);
        HttpResponse<String> again = callback(failed, TwilioDouble.AUTH_TOKEN);

        assertThat(TestGateway.json(again.body()).get("duplicates").asInt()).isEqualTo(1);
        JsonNode record = TestGateway.json(gateway.get("/api/v1/notifications/" + id).body());
        assertThat(record.get("status").asText()).isEqualTo("failed");
        JsonNode last = record.get("events").get(2);
        assertThat(last.get("event").asText()).isEqualTo("undelivered");
        assertThat(last.get("providerEvent").asText()).isEqualTo("failed");
        assertThat(last.get("detail").asText()).isEqualTo("error 30003");
        assertThat(events(id)).hasSize(3);
    }

    @Test
    void aCallbackSignedWithAnotherTokenOrNotAtAllIs401AndRecordsNothing() throws Exception {
        JsonNode sent = sent();
        String id = sent.get("id").asText();
        Map<String, String> delivered = status(sent.get("providerMessageId").asText(), "delivered");

        HttpResponse<String> forged = callback(delivered, "not-the-auth-token");
        HttpResponse<String> unsigned = gateway.send(gateway.request("/webhooks/twilio")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("MessageSid=" + sent.get("providerMessageId").asText()
                        + "&MessageStatus=delivered")).build());

        for (HttpResponse<String> answer : List.of(forged, unsigned)) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(answer.body()).doesNotContain(TwilioDouble.AUTH_TOKEN);
        }
        assertThat(events(id)).containsExactly("accepted", "sent");
    }
}
