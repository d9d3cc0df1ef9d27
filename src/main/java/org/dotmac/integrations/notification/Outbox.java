package org.dotmac.integrations.notification;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;

/**
 * The development provider: keeps the last {@code capacity} notifications in memory instead of
 * delivering them, so that a newcomer (and a test) can see what would have been sent.
 */
public class Outbox {

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public Outbox(int capacity) {
        this.capacity = capacity;
    }

    /** Keeps the exchange's body, the validated request of a notification of that type. */
    public NotificationResult deliver(Exchange exchange, String type) {
        Object request = exchange.getMessage().getBody();
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        String providerMessageId = "outbox-" + UUID.randomUUID();
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(new Entry(id, type, providerMessageId, Instant.now().toString(), request));
        }
        // kept, not delivered: a caller must never read a development capture as a sent message
        return new NotificationResult(id, "captured", "outbox", providerMessageId);
    }

    /** Oldest first. */
    public Map<String, Object> list() {
        List<Entry> copy;
        synchronized (entries) {
            copy = new ArrayList<>(entries);
        }
        return Map.of("capacity", capacity, "count", copy.size(), "messages", copy);
    }

    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    public record Entry(String id, String type, String providerMessageId, String receivedAt, Object request) {
    }
}
