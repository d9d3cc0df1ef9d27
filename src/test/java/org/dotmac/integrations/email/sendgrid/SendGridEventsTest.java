package org.dotmac.integrations.email.sendgrid;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
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

/** SendGrid's signature check on the vector its own libraries publish, and the event mapping. */
class SendGridEventsTest {

    // sendgrid-java, helpers/eventwebhook/EventWebhookTest (the same vector in every SendGrid library)
    static final String KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
    static final String OTHER_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==";
    static final String SIGNATURE = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
    static final String TIMESTAMP = "1588788367";
    static final byte[] PAYLOAD = "{\"category\":\"example_payload\",\"event\":\"test_event\",\"message_id\":\"message_id\"}"
            .getBytes(StandardCharsets.UTF_8);

    private static PublicKey key(String text) {
        return SendGridEvents.parseKey(text).orElseThrow();
    }

    private static SendGridEvents events(String key) {
        return new SendGridEvents(new Settings(k -> k.equals(SendGridEvents.KEY_SETTING) ? Optional.ofNullable(key) : Optional.empty()),
                new SimpleMeterRegistry());
    }

    @Test
    void thePublishedVectorVerifies() {
        assertThat(SendGridEvents.verifies(key(KEY), SIGNATURE, TIMESTAMP, PAYLOAD)).isTrue();
    }

    @Test
    void anotherTimestampPayloadKeyOrSignatureDoesNot() {
        assertThat(SendGridEvents.verifies(key(KEY), SIGNATURE, "1588788368", PAYLOAD)).isFalse();
        assertThat(SendGridEvents.verifies(key(KEY), SIGNATURE, TIMESTAMP, "payload".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(SendGridEvents.verifies(key(OTHER_KEY), SIGNATURE, TIMESTAMP, PAYLOAD)).isFalse();
        String changed = SIGNATURE.replace("H2j/0=", "H3j/0=");
        assertThat(SendGridEvents.verifies(key(KEY), changed, TIMESTAMP, PAYLOAD)).isFalse();
        assertThat(SendGridEvents.verifies(key(KEY), "not base64!", TIMESTAMP, PAYLOAD)).isFalse();
    }

    @Test
    void aTimestampMoreThanFiveMinutesFromNowIsRefusedEitherWay() {
        long signedAt = Long.parseLong(TIMESTAMP);
        SendGridEvents sendGrid = events(KEY);
        sendGrid.verify(SIGNATURE, TIMESTAMP, PAYLOAD, signedAt + 300);
        sendGrid.verify(SIGNATURE, TIMESTAMP, PAYLOAD, signedAt - 300);
        for (long now : new long[] {signedAt + 301, signedAt - 301}) {
            assertThatThrownBy(() -> sendGrid.verify(SIGNATURE, TIMESTAMP, PAYLOAD, now))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.detail()).contains("5 minutes");
                    });
        }
    }

    @Test
    void withoutAKeyOrWithoutTheHeadersEverythingIsRefused() {
        long now = Long.parseLong(TIMESTAMP);
        assertThatThrownBy(() -> events(null).verify(SIGNATURE, TIMESTAMP, PAYLOAD, now))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> events(KEY).verify(null, TIMESTAMP, PAYLOAD, now))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> events(KEY).verify(SIGNATURE, null, PAYLOAD, now))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> events(KEY).verify(SIGNATURE, "yesterday", PAYLOAD, now))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aConfiguredValueThatIsNoKeyRefusesEveryRequest() {
        assertThatThrownBy(() -> events("bm90IGEga2V5").verify(SIGNATURE, TIMESTAMP, PAYLOAD, Long.parseLong(TIMESTAMP)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.detail()).contains("is not a public key");
                });
    }

    @Test
    void aRequestIsReadFromItsRawBodyAndHeadersAndARefusalIsCounted() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair pair = generator.generateKeyPair();
        SendGridEvents sendGrid = new SendGridEvents(new Settings(k -> k.equals(SendGridEvents.KEY_SETTING)
                ? Optional.of(java.util.Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())) : Optional.empty()), meters);
        byte[] body = "[{\"event\":\"delivered\",\"gateway_message_id\":\"n-2\"}]".getBytes(StandardCharsets.UTF_8);
        String now = Long.toString(System.currentTimeMillis() / 1000);
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(now.getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        try (var context = new org.apache.camel.impl.DefaultCamelContext()) {
            var exchange = new org.apache.camel.support.DefaultExchange(context);
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeader(SendGridEvents.TIMESTAMP, now);
            exchange.getMessage().setHeader(SendGridEvents.SIGNATURE, java.util.Base64.getEncoder().encodeToString(signer.sign()));

            assertThat(sendGrid.read(exchange)).extracting(ProviderEvent::notificationId).containsExactly("n-2");
            assertThat(meters.counter("gateway_webhook_signature_failures", "provider", "sendgrid").count()).isZero();

            exchange.getMessage().setHeader(SendGridEvents.TIMESTAMP, Long.toString(Long.parseLong(now) + 1));
            assertThatThrownBy(() -> sendGrid.read(exchange)).isInstanceOf(ProblemException.class);
            exchange.getMessage().setBody(null);
            assertThatThrownBy(() -> sendGrid.read(exchange)).isInstanceOf(ProblemException.class);
            assertThat(meters.counter("gateway_webhook_signature_failures", "provider", "sendgrid").count()).isEqualTo(2);
        }
    }

    @Test
    void aKeyThatIsNoPublicKeyIsNamedAtStartUp() {
        assertThat(SendGridEvents.keyProblem(KEY)).isEmpty();
        assertThat(SendGridEvents.keyProblem("")).isEmpty();
        assertThat(SendGridEvents.keyProblem("bm90IGEga2V5")).isPresent();
    }

    @Test
    void eachDeliveryEventMapsToTheGatewaysAndTheRestAreLeftOut() {
        byte[] body = ("[{\"event\":\"delivered\",\"sg_event_id\":\"e1\",\"sg_message_id\":\"abc.filter0001\",\"timestamp\":1700000000,"
                + "\"gateway_message_id\":\"n-1\"},"
                + "{\"event\":\"bounce\",\"sg_event_id\":\"e2\",\"sg_message_id\":\"abc.f2\",\"timestamp\":1700000001,\"reason\":\"550 no such user\"},"
                + "{\"event\":\"processed\",\"sg_event_id\":\"e3\"},{\"event\":\"unsubscribe\",\"sg_event_id\":\"e4\"},"
                + "{\"event\":\"open\"},{\"event\":\"click\",\"url\":\"https://x\"},{\"event\":\"dropped\"},{\"event\":\"deferred\"},"
                + "{\"event\":\"spamreport\"},{\"event\":\"blocked\"}]").getBytes(StandardCharsets.UTF_8);

        List<ProviderEvent> events = events(KEY).events(body);

        assertThat(events).extracting(ProviderEvent::event).containsExactly(Event.DELIVERED, Event.BOUNCED, Event.OPENED,
                Event.CLICKED, Event.DROPPED, Event.DEFERRED, Event.COMPLAINED, Event.BOUNCED);
        ProviderEvent delivered = events.get(0);
        assertThat(delivered.notificationId()).isEqualTo("n-1");
        assertThat(delivered.providerMessageId()).as("the send's X-Message-Id, without SendGrid's suffix").isEqualTo("abc");
        assertThat(delivered.dedupeKey()).isEqualTo("e1");
        assertThat(delivered.at()).isEqualTo(1_700_000_000_000L);
        assertThat(delivered.detail()).as("no reason given").isNull();
        assertThat(events.get(1).detail()).isEqualTo("550 no such user");
        assertThat(events.get(1).providerEvent()).isEqualTo("bounce");
        assertThat(events.get(3).detail()).isEqualTo("https://x");
    }

    @Test
    void aBodyThatIsNoArrayIsA400() {
        for (String body : List.of("{\"event\":\"delivered\"}", "not json", "null")) {
            assertThatThrownBy(() -> events(KEY).events(body.getBytes(StandardCharsets.UTF_8))).as(body)
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void theVerificationKeyIsReadEachTimeSoARotationTakesEffect() {
        Map<String, String> current = new java.util.HashMap<>(Map.of(SendGridEvents.KEY_SETTING, OTHER_KEY));
        SendGridEvents rotating = new SendGridEvents(new Settings(k -> Optional.ofNullable(current.get(k))), new SimpleMeterRegistry());
        long now = Long.parseLong(TIMESTAMP);
        assertThatThrownBy(() -> rotating.verify(SIGNATURE, TIMESTAMP, PAYLOAD, now)).isInstanceOf(ProblemException.class);
        current.put(SendGridEvents.KEY_SETTING, KEY);
        rotating.verify(SIGNATURE, TIMESTAMP, PAYLOAD, now);
    }
}
