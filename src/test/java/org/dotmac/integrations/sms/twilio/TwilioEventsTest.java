package org.dotmac.integrations.sms.twilio;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.notification.ProviderEvent;
import org.dotmac.integrations.notification.StatusTransitions.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Twilio's request signature on the example Twilio documents, the URL it signs, and the status mapping. */
class TwilioEventsTest {

    // Twilio's documentation, "Webhooks security": the example request and its signature
    static final String TOKEN = "12345";
    static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    static final Map<String, List<String>> PARAMS = Map.of("CallSid", List.of("CA1234567890ABCDE"),
            "Caller", List.of("+12349013030"), "Digits", List.of("1234"), "From", List.of("+12349013030"),
            "To", List.of("+18005551212"));
    static final String SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    private static TwilioEvents events(Map<String, String> values) {
        return new TwilioEvents(new Settings(k -> Optional.ofNullable(values.get(k))), new SimpleMeterRegistry());
    }

    @Test
    void theDocumentedExampleSignsAsTwilioSaysWhateverTheParametersOrder() {
        assertThat(TwilioEvents.sign(TOKEN, URL, PARAMS)).isEqualTo(SIGNATURE);
        assertThat(TwilioEvents.sign(TOKEN, URL, TwilioEvents.form(
                "To=%2B18005551212&From=%2B12349013030&Digits=1234&Caller=%2B12349013030&CallSid=CA1234567890ABCDE")))
                .isEqualTo(SIGNATURE);
    }

    @Test
    void aFormIsReadAsTwilioEncodesItAndARefusalIsCounted() throws Exception {
        assertThat(TwilioEvents.form("a=1&b=x+y%21&a=2&=v&c")).containsExactlyEntriesOf(new java.util.LinkedHashMap<>(Map.of()) {{
            put("a", List.of("1", "2"));
            put("b", List.of("x y!"));
            put("", List.of("v"));
            put("c", List.of(""));
        }});
        assertThatThrownBy(() -> TwilioEvents.form("a=%zz")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.status()).isEqualTo(400));

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TwilioEvents twilio = new TwilioEvents(new Settings(k -> Optional.ofNullable(Map.of(
                "sms.twilio.status-callback", "https://gw.example/webhooks/twilio", "sms.twilio.auth-token", TOKEN).get(k))), meters);
        String body = "MessageSid=SM9&MessageStatus=delivered";
        try (var context = new org.apache.camel.impl.DefaultCamelContext()) {
            var exchange = new org.apache.camel.support.DefaultExchange(context);
            exchange.getMessage().setBody(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            exchange.getMessage().setHeader(TwilioEvents.SIGNATURE, TwilioEvents.sign(TOKEN, "https://gw.example/webhooks/twilio",
                    TwilioEvents.form(body)));
            assertThat(twilio.read(exchange)).extracting(ProviderEvent::providerMessageId).containsExactly("SM9");
            exchange.getMessage().setHeader(TwilioEvents.SIGNATURE, "forged");
            assertThatThrownBy(() -> twilio.read(exchange)).isInstanceOf(ProblemException.class);
            exchange.getMessage().setBody(null);
            assertThatThrownBy(() -> twilio.read(exchange)).isInstanceOf(ProblemException.class);
            assertThat(meters.counter("gateway_webhook_signature_failures", "provider", "twilio").count()).isEqualTo(2);
        }
    }

    @Test
    void anotherUrlTokenOrValueSignsOtherwise() {
        assertThat(TwilioEvents.sign(TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=3", PARAMS)).isNotEqualTo(SIGNATURE);
        assertThat(TwilioEvents.sign("12346", URL, PARAMS)).isNotEqualTo(SIGNATURE);
        assertThat(TwilioEvents.sign(TOKEN, URL, Map.of("CallSid", List.of("CA1234567890ABCDF")))).isNotEqualTo(SIGNATURE);
    }

    @Test
    void verificationUsesTheCallbackUrlAndTheAuthTokenAndRefusesWithoutThem() {
        TwilioEvents twilio = events(Map.of("sms.twilio.status-callback", URL, "sms.twilio.auth-token", TOKEN));
        twilio.verify(SIGNATURE, PARAMS);
        assertThatThrownBy(() -> twilio.verify("0/KCTR6DLpKmkAf8muzZqo1nDgQ", PARAMS)).isInstanceOfSatisfying(
                ProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> twilio.verify(null, PARAMS)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> events(Map.of("sms.twilio.auth-token", TOKEN)).verify(SIGNATURE, PARAMS))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.detail()).contains("status callback URL"));
        assertThatThrownBy(() -> events(Map.of("sms.twilio.status-callback", URL)).verify(SIGNATURE, PARAMS))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.detail()).contains("auth-token"));
    }

    @Test
    void theCallbackUrlIsTheSettingElseTheGatewaysOwnUnderItsPublicUrl() {
        Settings set = new Settings(k -> Optional.ofNullable(Map.of("sms.twilio.status-callback", "https://a.example/x",
                "gateway.public-url", "https://gw.example/").get(k)));
        Settings derived = new Settings(k -> Optional.ofNullable(Map.of("gateway.public-url", "https://gw.example/").get(k)));
        assertThat(TwilioEvents.statusCallback(set)).hasValue("https://a.example/x");
        assertThat(TwilioEvents.statusCallback(derived)).hasValue("https://gw.example/webhooks/twilio");
        assertThat(TwilioEvents.statusCallback(new Settings(k -> Optional.empty()))).isEmpty();
    }

    @Test
    void deliveryStatusesMapToEventsDeduplicatedBySidAndStatusAndTheOthersAreLeftOut() {
        TwilioEvents twilio = events(Map.of());
        ProviderEvent failed = twilio.events(TwilioEvents.form("MessageSid=SM1&MessageStatus=failed&ErrorCode=30003")).get(0);
        assertThat(failed.event()).isEqualTo(Event.UNDELIVERED);
        assertThat(failed.providerEvent()).isEqualTo("failed");
        assertThat(failed.providerMessageId()).isEqualTo("SM1");
        assertThat(failed.dedupeKey()).isEqualTo("SM1:failed");
        assertThat(failed.detail()).isEqualTo("error 30003");
        assertThat(twilio.events(TwilioEvents.form("MessageSid=SM1&MessageStatus=delivered")).get(0).event()).isEqualTo(Event.DELIVERED);
        assertThat(twilio.events(TwilioEvents.form("MessageSid=SM1&MessageStatus=undelivered")).get(0).event()).isEqualTo(Event.UNDELIVERED);
        assertThat(twilio.events(TwilioEvents.form("MessageSid=SM1&MessageStatus=canceled")).get(0).event()).isEqualTo(Event.DROPPED);
        assertThat(twilio.events(TwilioEvents.form("MessageSid=SM1&MessageStatus=read")).get(0).event()).isEqualTo(Event.OPENED);
        for (String status : List.of("queued", "sending", "sent", "accepted")) {
            assertThat(twilio.events(TwilioEvents.form("MessageSid=SM1&MessageStatus=" + status))).as(status).isEmpty();
        }
        assertThatThrownBy(() -> twilio.events(TwilioEvents.form("MessageStatus=delivered"))).isInstanceOfSatisfying(
                ProblemException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
