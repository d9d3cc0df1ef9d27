package org.dotmac.integrations.notification;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dotmac.integrations.api.ProblemException;

/**
 * {@code Idempotency-Key} on a queued request: the notification id is derived from the key, so a
 * repeated request is answered with the first one's id, and the message carries the key as Artemis'
 * duplicate id, so the broker drops the repeat. The broker's duplicate-id cache is persistent and
 * shared by every instance on that broker; its size ({@code jms.duplicate-id-cache-size} ids per
 * queue) is the window.
 */
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    /** Artemis duplicate detection. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    public void apply(Exchange exchange) {
        Message message = exchange.getMessage();
        String key = message.getHeader(HEADER, String.class);
        if (key == null) {
            return;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c < 0x7f)) {
            throw ProblemException.invalid(HEADER, "must be 1 to 255 printable ASCII characters without spaces");
        }
        if ("true".equalsIgnoreCase(message.getHeader("wait", String.class))) {
            throw ProblemException.invalid(HEADER, "applies to queued requests; send it without ?wait=true");
        }
        String type = exchange.getProperty(NotificationReader.TYPE_PROPERTY, String.class);
        String scoped = type + ":" + key;
        message.setHeader(NotificationHeaders.ID, UUID.nameUUIDFromBytes(scoped.getBytes(StandardCharsets.UTF_8)).toString());
        message.setHeader(DUPLICATE_ID, "notification:" + scoped);
    }
}
