package org.dotmac.integrations.notification;

import java.sql.SQLException;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.notification.StatusTransitions.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a notification's status record from the routes. Only the REST door's queued accept depends on
 * the write (no 202 for a notification whose record is not stored); every later event is written after
 * the fact and a failed write is logged and counted, never allowed to fail a delivery that already happened.
 */
public class StatusRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(StatusRecorder.class);

    private final StatusStore store;
    private final AcceptanceWriter acceptances;
    private final IdempotencyKeys callers;
    private final Counter writeFailures;
    private final MeterRegistry meters;
    private final java.util.Map<String, Long> lastEvent = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param topics where events are published: a requester's reply queue, and the topics when they are on */
    public StatusRecorder(StatusStore store, AcceptanceWriter acceptances, IdempotencyKeys callers, MeterRegistry meters,
            EventTopics topics) {
        this.store = store;
        this.acceptances = acceptances;
        this.callers = callers;
        this.meters = meters;
        store.onRecorded(recorded -> {
            if (recorded.from() != null && recorded.from() != recorded.to()) {
                meters.counter("gateway_notification_status_changes", "status", recorded.to().wire(),
                        "provider", recorded.provider() == null ? "none" : recorded.provider()).increment();
            }
            topics.publish(recorded);
        });
        this.writeFailures = Counter.builder("gateway_notification_status_write_failures")
                .description("status events that could not be written (the database away)").register(meters);
    }

    /** The REST door's queued accept: the record is stored before the 202, or the request fails. */
    public void acceptedForQueue(Exchange exchange) {
        try {
            acceptances.accept(new StatusStore.Acceptance(id(exchange),
                    exchange.getProperty(NotificationReader.TYPE_PROPERTY, String.class), callers.callerOf(exchange),
                    System.currentTimeMillis()));
        } catch (SQLException e) {
            writeFailures.increment();
            throw ProviderException.unavailable("status store", "the notification status store cannot be reached ("
                    + e.getClass().getSimpleName() + "); nothing was queued", 0);
        }
    }

    /** The JMS property naming a queue the requester wants its notification's events on. */
    public static final String EVENTS_REPLY_TO = "EventsReplyTo";
    private static final java.util.regex.Pattern QUEUE = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /**
     * Every other door, on the first attempt: a JMS request, a synchronous one, a direct call. A JMS
     * request's {@value #EVENTS_REPLY_TO} is checked first: a queue name, and none of the gateway's own
     * ({@code integrations.*}), where an event would be read as a request.
     */
    public void accepted(Exchange exchange, String type) {
        boolean fromQueue = exchange.getFromEndpoint() instanceof org.apache.camel.component.jms.JmsEndpoint;
        if (fromQueue && Boolean.TRUE.equals(exchange.getMessage().getHeader(NotificationHeaders.STATUS_RECORDED, Boolean.class))) {
            return; // the REST door stored it before queueing
        }
        // a JMS property only: over HTTP it would be any caller's header
        String replyTo = fromQueue ? exchange.getMessage().getHeader(EVENTS_REPLY_TO, String.class) : null;
        if (replyTo != null && (!QUEUE.matcher(replyTo).matches() || replyTo.startsWith("integrations."))) {
            throw ProblemException.invalid(EVENTS_REPLY_TO, "must be a queue name of letters, digits, '.', '_' or '-'"
                    + " (at most 200), and not one of the gateway's own integrations.* queues");
        }
        write(exchange, "accepted", () -> {
            acceptances.accept(new StatusStore.Acceptance(id(exchange), type, callers.callerOf(exchange),
                    System.currentTimeMillis(), replyTo));
            return null;
        });
    }

    /** The provider took it: its result carries the provider, its message id and its own status. */
    public void sent(Exchange exchange) {
        if (exchange.getMessage().getBody() instanceof NotificationResult result) {
            Event event = "captured".equals(result.status()) ? Event.CAPTURED : Event.SENT;
            write(exchange, event.wire(), () -> store.record(id(exchange), event, false, System.currentTimeMillis(),
                    result.providerStatus(), null, result.provider(), result.providerMessageId(), null));
        }
    }

    /**
     * The send failed: records {@code attempt_failed} with its classified reason, then throws the failure on
     * to the door. Permanent when the gateway will not try again: a synchronous send (REST ?wait=true, a
     * direct call) or a refusal; a queued one is retried or parked.
     */
    public void failed(Exchange exchange) throws Throwable {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean queued = exchange.getFromEndpoint() instanceof org.apache.camel.component.jms.JmsEndpoint;
        boolean permanent = !queued || (failure instanceof ProblemException p && p.isPermanent());
        write(exchange, "attempt_failed", () -> store.record(id(exchange), Event.ATTEMPT_FAILED, permanent,
                System.currentTimeMillis(), null, failure == null ? null : reason(failure),
                failure == null ? null : provider(failure), null, null));
        if (failure != null) {
            throw failure;
        }
    }

    /** A queued notification waits on its queue for a later attempt. */
    public void parked(Exchange exchange) {
        write(exchange, "parked", () -> store.record(id(exchange), Event.PARKED, false, System.currentTimeMillis(), null,
                exchange.getMessage().getHeader("GatewayParkQueue", String.class), null, null, null));
    }

    /** A queued notification was moved to the dead-letter queue. */
    public void deadLettered(Exchange exchange) {
        write(exchange, "dead_lettered", () -> store.record(id(exchange), Event.DEAD_LETTERED, false,
                System.currentTimeMillis(), null, exchange.getMessage().getHeader("DeadLetterReason", String.class),
                null, null, null));
    }

    /** The REST door's send to the queue failed after the record was stored: the notification was not accepted. */
    public void notAccepted(Exchange exchange) {
        write(exchange, "forget", () -> store.forget(id(exchange)));
    }

    /** An operator replays a dead letter carrying this notification onto its queue. */
    public void replayed(String id) {
        try {
            store.record(id, Event.REPLAYED, false, System.currentTimeMillis(), null, null, null, null, null);
        } catch (SQLException | RuntimeException e) {
            writeFailures.increment();
            LOG.warn("Could not record replayed for notification {}: {}", id, e.toString());
        }
    }

    /**
     * Applies a provider's events (a webhook's body, already authenticated) and answers what became of
     * them; an event for a message the gateway does not know is acknowledged and counted, so that the
     * provider stops retrying it.
     */
    public java.util.Map<String, Integer> providerEvents(String provider, java.util.List<ProviderEvent> events) throws SQLException {
        int recorded = 0;
        int duplicates = 0;
        int unknown = 0;
        for (ProviderEvent event : events) {
            String id = event.notificationId();
            if (id == null || id.isBlank()) {
                id = event.providerMessageId() == null ? null : store.idOfProviderMessage(provider, event.providerMessageId()).orElse(null);
            }
            StatusStore.Outcome outcome = id == null ? StatusStore.Outcome.UNKNOWN
                    : store.record(id, event.event(), false, event.at(), event.providerEvent(), event.detail(), null, null,
                            event.dedupeKey());
            switch (outcome) {
                case RECORDED -> recorded++;
                case DUPLICATE -> duplicates++;
                case UNKNOWN -> unknown++;
            }
            meters.counter("gateway_provider_events", "provider", provider, "event", event.event().wire(),
                    "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
        }
        lastEvent.put(provider, System.currentTimeMillis());
        return java.util.Map.of("received", events.size(), "recorded", recorded, "duplicates", duplicates, "unknown", unknown);
    }

    /** When the provider's last webhook arrived (epoch ms) since start-up, for the health data; null before one. */
    public Long lastEvent(String provider) {
        return lastEvent.get(provider);
    }

    /** How a failure was classified, as the event's detail: the kind and the problem's title. */
    static String reason(Throwable failure) {
        if (failure instanceof ProviderException p) {
            return p.kind().name().toLowerCase(Locale.ROOT) + ": " + p.title();
        }
        if (failure instanceof ProblemException p) {
            return (p.isPermanent() ? "rejected: " : "unavailable: ") + p.title();
        }
        return "error: " + failure.getClass().getSimpleName();
    }

    private static String provider(Throwable failure) {
        return failure instanceof ProviderException p ? p.provider() : null;
    }

    private static String id(Exchange exchange) {
        return exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
    }

    private interface Write {
        Object run() throws SQLException;
    }

    private void write(Exchange exchange, String event, Write write) {
        if (id(exchange) == null) {
            return;
        }
        try {
            write.run();
        } catch (SQLException | RuntimeException e) {
            writeFailures.increment();
            LOG.warn("Could not record {} for notification {}: {}", event, id(exchange), e.toString());
        }
    }
}
