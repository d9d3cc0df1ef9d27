package org.dotmac.integrations.notification;

import org.apache.camel.Message;

/** Message headers that travel with a notification across doors and queues. */
public final class NotificationHeaders {

    /** The gateway's id of a notification, kept from the door it came in by to its result. */
    public static final String ID = "NotificationId";

    private NotificationHeaders() {
    }

    /**
     * Drops every header a caller or a provider put on the message (an HTTP caller's API key, its
     * CamelHttpUri that camel-http would follow), keeping the notification id and the error
     * handler's redelivery counters: without them a retried message would be retried for ever.
     */
    public static void keepOnlyOwn(Message message) {
        message.removeHeaders("*", "CamelRedelivery*", ID);
    }
}
