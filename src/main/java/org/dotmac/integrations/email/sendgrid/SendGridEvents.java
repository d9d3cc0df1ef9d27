package org.dotmac.integrations.email.sendgrid;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.notification.ProviderEvent;
import org.dotmac.integrations.notification.WebhookRefusals;
import org.dotmac.integrations.notification.StatusTransitions.Event;

/**
 * SendGrid's Event Webhook: verified on the raw body (SHA256withECDSA over the timestamp header followed
 * by the body, with the account's verification key), then each event mapped to the gateway's.
 */
public class SendGridEvents {

    static final String SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";
    static final String TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";
    static final String KEY_SETTING = "email.sendgrid.webhook-verification-key";
    /** How far the signed timestamp may be from now, either way: a captured request replayed later is refused. */
    static final long TOLERANCE_SECONDS = 300;

    /** SendGrid's event names and the gateway's; the others (unsubscribes, processed) say nothing of delivery. */
    private static final Map<String, Event> EVENTS = Map.of(
            "delivered", Event.DELIVERED, "deferred", Event.DEFERRED, "bounce", Event.BOUNCED, "blocked", Event.BOUNCED,
            "dropped", Event.DROPPED, "spamreport", Event.COMPLAINED, "open", Event.OPENED, "click", Event.CLICKED);

    private final Settings settings;
    private final WebhookRefusals refusals;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Map.Entry<String, PublicKey> key;

    public SendGridEvents(Settings settings, MeterRegistry meters) {
        this.settings = settings;
        this.refusals = new WebhookRefusals(meters, SendGridMail.PROVIDER);
    }

    /** The webhook's events once its signature verifies; a 401 problem, nothing read, otherwise. */
    public List<ProviderEvent> read(Exchange exchange) {
        byte[] received = exchange.getMessage().getBody(byte[].class);
        byte[] body = received == null ? new byte[0] : received;
        refusals.check(() -> verify(exchange.getMessage().getHeader(SIGNATURE, String.class),
                    exchange.getMessage().getHeader(TIMESTAMP, String.class), body, System.currentTimeMillis() / 1000));
        return events(body);
    }

    void verify(String signature, String timestamp, byte[] body, long nowSeconds) {
        PublicKey publicKey = publicKey().orElseThrow(() -> refused(
                "no verification key is configured (" + KEY_SETTING + "): every event is refused"));
        if (signature == null || timestamp == null) {
            throw refused("the request is not signed: " + SIGNATURE + " and " + TIMESTAMP + " are required");
        }
        long signedAt;
        try {
            signedAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw refused(TIMESTAMP + " is not a Unix time in seconds");
        }
        if (Math.abs(nowSeconds - signedAt) > TOLERANCE_SECONDS) {
            throw refused(TIMESTAMP + " is more than 5 minutes from now");
        }
        if (!verifies(publicKey, signature, timestamp, body)) {
            throw refused("the signature does not verify with " + KEY_SETTING);
        }
    }

    /** Whether {@code signature} (base64 DER) signs the timestamp's UTF-8 bytes followed by the body. */
    static boolean verifies(PublicKey publicKey, String signature, String timestamp, byte[] body) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
            verifier.update(body);
            return verifier.verify(Base64.getDecoder().decode(signature.trim()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // not base64, not DER: not a signature
        }
    }

    /** The configured key, parsed once per value (a Vault refresh may change it). */
    private Optional<PublicKey> publicKey() {
        String text = settings.get(KEY_SETTING).map(String::trim).orElse("");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Map.Entry<String, PublicKey> current = key;
        if (current == null || !current.getKey().equals(text)) {
            current = Map.entry(text, parseKey(text).orElseThrow(() -> refused(KEY_SETTING + " is not a public key")));
            key = current;
        }
        return Optional.of(current.getValue());
    }

    /** Base64 of an X.509 SubjectPublicKeyInfo holding an EC key, as SendGrid shows it; empty otherwise. */
    static Optional<PublicKey> parseKey(String text) {
        try {
            return Optional.of(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(text))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Start-up check of the setting: a value that is not an EC public key is named before the first event. */
    static Optional<String> keyProblem(String text) {
        return text.isBlank() || parseKey(text).isPresent() ? Optional.empty()
                : Optional.of("is not a base64 X.509 EC public key (SendGrid's Event Webhook verification key)");
    }

    /** The events of a verified body: a JSON array; an item that is not a delivery event is left out. */
    List<ProviderEvent> events(byte[] body) {
        JsonNode items;
        try {
            items = body.length == 0 ? null : json.readTree(body);
        } catch (java.io.IOException e) {
            throw new ProblemException(400, "Invalid request", "the event body is not JSON");
        }
        if (items == null || !items.isArray()) {
            throw new ProblemException(400, "Invalid request", "the event body must be a JSON array of events");
        }
        List<ProviderEvent> events = new ArrayList<>();
        for (JsonNode item : items) {
            Event event = EVENTS.get(item.path("event").asText());
            if (event == null) {
                continue;
            }
            // sg_message_id is the send's X-Message-Id, a dot, and SendGrid's suffix
            String messageId = item.path("sg_message_id").asText(null);
            if (messageId != null && messageId.contains(".")) {
                messageId = messageId.substring(0, messageId.indexOf('.'));
            }
            String detail = firstText(item, "reason", "response", "url");
            events.add(new ProviderEvent(item.path("gateway_message_id").asText(null), messageId, event,
                    item.path("event").asText(), item.path("sg_event_id").asText(null),
                    item.path("timestamp").canConvertToLong() ? item.path("timestamp").asLong() * 1000 : System.currentTimeMillis(),
                    detail));
        }
        return events;
    }

    private static String firstText(JsonNode item, String... fields) {
        for (String field : fields) {
            if (item.hasNonNull(field)) {
                return item.get(field).asText();
            }
        }
        return null;
    }

    private static ProblemException refused(String detail) {
        return WebhookRefusals.refused(detail);
    }
}
