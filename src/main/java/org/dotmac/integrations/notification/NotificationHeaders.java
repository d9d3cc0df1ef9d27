package org.dotmac.integrations.notification;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.dotmac.integrations.core.HeaderScrub;

/** Message headers that travel with a notification across doors and queues. */
public final class NotificationHeaders {

    /** The gateway's id of a notification, kept from the door it came in by to its result. */
    public static final String ID = "NotificationId";

    /**
     * Set on a request the REST door queued after storing its status record: its consumer does not write
     * the record again (every consumed message would otherwise fail an insert). A JMS sender that sets it
     * itself only goes without a record of its own notification.
     */
    public static final String STATUS_RECORDED = "GatewayStatusRecorded";

    private NotificationHeaders() {
    }

    /**
     * A queued request's headers: its id, the broker's duplicate id when it has an idempotency key, and
     * its type's queue (integrations.email, integrations.sms) as the JMS producer's destination.
     */
    public static void forQueue(Exchange exchange) {
        Message message = exchange.getMessage();
        // who sent it stays known to the steps after (the status record), not on the queue
        Object caller = message.getHeader(IdempotencyKeys.CALLER);
        if (caller != null) {
            exchange.setProperty(IdempotencyKeys.CALLER, caller);
        }
        Object id = message.getHeader(ID);
        Object duplicateId = message.getHeader(IdempotencyKeys.DUPLICATE_ID);
        message.getHeaders().clear();
        message.setHeader(ID, id);
        message.setHeader(STATUS_RECORDED, true);
        if (duplicateId != null) {
            message.setHeader(IdempotencyKeys.DUPLICATE_ID, duplicateId);
        }
        message.setHeader(JmsConstants.JMS_DESTINATION_NAME,
                "integrations." + exchange.getProperty(NotificationReader.TYPE_PROPERTY, String.class));
    }

    /**
     * Drops every header a caller or a provider put on the message (an HTTP caller's API key, its
     * CamelHttpUri that camel-http would follow), keeping the notification id and the error
     * handler's redelivery counters: without them a retried message would be retried for ever.
     */
    public static void keepOnlyOwn(Message message) {
        HeaderScrub.keepRedelivery(message, ID);
    }
}
