package org.dotmac.integrations.messaging;

import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsMessage;

/**
 * The order in which a message was first queued: the broker's own id for it (Artemis numbers the
 * messages it takes in one sequence), kept in {@value #HEADER} on every copy the gateway sends again
 * (parked, dead-lettered, replayed), so that a copy keeps its place among later messages. A caller's
 * JMSMessageID is no use for this: the sending client makes it up.
 */
public final class QueueOrder {

    public static final String HEADER = "GatewayQueueSequence";
    /** The exchange property the sequence is put in for the flow that needs it. */
    public static final String PROPERTY = "queueSequence";

    /** Puts the message's queue sequence in the exchange property {@value #PROPERTY}. */
    public void stamp(Exchange exchange) {
        long sequence = of(exchange.getMessage());
        if (sequence > 0) {
            exchange.setProperty(PROPERTY, sequence);
        }
    }

    /** A copy about to be sent again carries the sequence of the message first queued. */
    static void carry(Exchange exchange) {
        Long sequence = exchange.getProperty(PROPERTY, Long.class);
        long known = sequence != null ? sequence : of(exchange.getMessage());
        if (known > 0) {
            exchange.getMessage().setHeader(HEADER, known);
        }
    }

    static long of(Message message) {
        Long carried = message.getHeader(HEADER, Long.class);
        if (carried != null) {
            return carried;
        }
        if (message instanceof JmsMessage jms && jms.getJmsMessage() instanceof ActiveMQMessage artemis) {
            return artemis.getCoreMessage().getMessageID();
        }
        return 0;
    }
}
