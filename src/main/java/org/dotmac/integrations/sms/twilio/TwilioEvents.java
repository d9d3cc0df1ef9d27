package org.dotmac.integrations.sms.twilio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.notification.ProviderEvent;
import org.dotmac.integrations.notification.WebhookRefusals;
import org.dotmac.integrations.notification.StatusTransitions.Event;

/**
 * Twilio's status callbacks: {@code X-Twilio-Signature} is the base64 HMAC-SHA1, keyed with the account's
 * auth token, of the URL Twilio called followed by every POST parameter's name and value in name order.
 * The parameters are read from the raw form body here, after nothing else parsed it.
 */
public class TwilioEvents {

    static final String SIGNATURE = "X-Twilio-Signature";
    static final String PATH = "/webhooks/twilio";

    /** Twilio's message statuses that say something of delivery; queued, sending and sent do not. */
    private static final Map<String, Event> EVENTS = Map.of(
            "delivered", Event.DELIVERED, "undelivered", Event.UNDELIVERED, "failed", Event.UNDELIVERED,
            "canceled", Event.DROPPED, "read", Event.OPENED);

    private final Settings settings;
    private final WebhookRefusals refusals;

    public TwilioEvents(Settings settings, MeterRegistry meters) {
        this.settings = settings;
        this.refusals = new WebhookRefusals(meters, TwilioSms.PROVIDER);
    }

    /**
     * The URL Twilio posts status to and signs: {@code sms.twilio.status-callback}, else the gateway's own
     * webhook under {@code gateway.public-url}; empty when neither is set (then no callback is asked for).
     */
    static Optional<String> statusCallback(Settings settings) {
        return settings.get("sms.twilio.status-callback")
                .or(() -> settings.get("gateway.public-url").map(url -> url.replaceAll("/+$", "") + PATH));
    }

    /** The callback's event once its signature verifies; a 401 problem, nothing read, otherwise. */
    public List<ProviderEvent> read(Exchange exchange) {
        byte[] received = exchange.getMessage().getBody(byte[].class);
        String body = received == null ? "" : new String(received, StandardCharsets.UTF_8);
        Map<String, List<String>> form = form(body);
        refusals.check(() -> verify(exchange.getMessage().getHeader(SIGNATURE, String.class), form));
        return events(form);
    }

    void verify(String signature, Map<String, List<String>> form) {
        String url = statusCallback(settings).orElseThrow(() -> refused(
                "no status callback URL is configured (sms.twilio.status-callback or gateway.public-url): every callback is refused"));
        String token = settings.get("sms.twilio.auth-token").orElseThrow(() -> refused(
                "sms.twilio.auth-token is not set: Twilio signs its callbacks with it"));
        if (signature == null) {
            throw refused("the request is not signed: " + SIGNATURE + " is required");
        }
        byte[] expected = sign(token, url, form).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw refused("the signature does not verify for " + url + " with the account's auth token");
        }
    }

    /** Base64 of HMAC-SHA1(token, url + each parameter's name and value, in name order). */
    static String sign(String token, String url, Map<String, List<String>> form) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((name, values) -> values.stream().sorted().forEach(value -> data.append(name).append(value)));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** An application/x-www-form-urlencoded body as names and their values, in the order sent. */
    static Map<String, List<String>> form(String body) {
        Map<String, List<String>> form = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(400, "Invalid request", "the callback body is not form-encoded");
            }
        }
        return form;
    }

    /** The delivery event a verified callback stands for; none for a status that says nothing of delivery. */
    List<ProviderEvent> events(Map<String, List<String>> form) {
        String sid = first(form, "MessageSid");
        String status = first(form, "MessageStatus");
        if (sid == null || status == null) {
            throw new ProblemException(400, "Invalid request", "a status callback carries MessageSid and MessageStatus");
        }
        Event event = EVENTS.get(status);
        if (event == null) {
            return List.of();
        }
        String error = first(form, "ErrorCode");
        // Twilio gives no event id: a status is reported once per message
        return List.of(new ProviderEvent(null, sid, event, status, sid + ":" + status, System.currentTimeMillis(),
                error == null || error.isBlank() ? null : "error " + error));
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static ProblemException refused(String detail) {
        return WebhookRefusals.refused(detail);
    }
}
