package org.dotmac.integrations.notification;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A notification's status and what each event does to it, as README's "Delivery status" table shows it
 * (a test reads that table and checks every row against {@link #next}). An event that moves nothing is
 * still kept in the notification's events.
 */
public final class StatusTransitions {

    /** Where a notification stands. */
    public enum Status {
        /** accepted, not yet taken by a provider */
        QUEUED,
        /** a provider took it */
        SENT,
        /** the development outbox kept it: never delivered */
        CAPTURED,
        /** the provider reported it delivered (or opened, or clicked) */
        DELIVERED,
        /** permanent: refused by the provider, bounced, undelivered, or a synchronous send that failed */
        FAILED,
        /** dead-lettered after its retries */
        DEAD;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** What happened to a notification. */
    public enum Event {
        ACCEPTED, ATTEMPT_FAILED, PARKED, SENT, CAPTURED, DEFERRED, DELIVERED, BOUNCED, DROPPED, COMPLAINED,
        OPENED, CLICKED, UNDELIVERED, DEAD_LETTERED, REPLAYED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Event of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    private static final Set<Status> NOT_YET_TAKEN = EnumSet.of(Status.QUEUED, Status.FAILED);
    /** A dead notification is sent only once it was replayed: it is then sent, whichever event was written first. */
    private static final Set<Status> TAKEN_FROM = EnumSet.of(Status.QUEUED, Status.FAILED, Status.DEAD);
    private static final Set<Status> ON_ITS_WAY = EnumSet.of(Status.QUEUED, Status.SENT);

    private StatusTransitions() {
    }

    /**
     * The status after {@code event}. {@code permanent} is for {@link Event#ATTEMPT_FAILED}: a refusal by
     * the provider, or a synchronous send, which the gateway does not try again.
     */
    public static Status next(Status current, Event event, boolean permanent) {
        return switch (event) {
            case ACCEPTED, PARKED, DEFERRED, COMPLAINED -> current;
            case ATTEMPT_FAILED -> permanent && current == Status.QUEUED ? Status.FAILED : current;
            // sent and captured come from the gateway's own call: after a failed synchronous send the
            // caller may try the same notification again (its Idempotency-Key gives it the same id)
            case SENT -> TAKEN_FROM.contains(current) ? Status.SENT : current;
            case CAPTURED -> TAKEN_FROM.contains(current) ? Status.CAPTURED : current;
            // an open or a click proves the delivery; a late one after a bounce changes nothing
            case DELIVERED, OPENED, CLICKED -> ON_ITS_WAY.contains(current) ? Status.DELIVERED : current;
            case BOUNCED, DROPPED, UNDELIVERED -> current == Status.DEAD ? current : Status.FAILED;
            case DEAD_LETTERED -> NOT_YET_TAKEN.contains(current) ? Status.DEAD : current;
            case REPLAYED -> current == Status.DEAD ? Status.QUEUED : current;
        };
    }
}
