package org.dotmac.integrations.notification;

/** Message headers that travel with a notification across doors and queues. */
public final class NotificationHeaders {

    /** The gateway's id of a notification, kept from the door it came in by to its result. */
    public static final String ID = "NotificationId";

    private NotificationHeaders() {
    }
}
