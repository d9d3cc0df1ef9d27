package org.dotmac.integrations.messaging;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;

import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.dotmac.integrations.core.BodyBudget;
import org.springframework.jms.listener.AbstractMessageListenerContainer;

/**
 * Bounds the large messages the queue consumers hold at once: before Camel reads a message's body, the
 * consumer reserves its size from the {@link BodyBudget} the HTTP door uses, waiting while the budget is
 * taken, and gives it back when the message is done. It has to happen here, in the listener container:
 * by the first step of a route the body has been read (the original message is copied for the error
 * handler), so a gate in the route would come too late.
 * <p>
 * The size is Artemis' {@code _AMQ_LARGE_SIZE}, set on every message the broker streams as a large message
 * (over 100 KiB by default); smaller messages are not counted, as on the HTTP door. A BytesMessage's body is
 * read only when Camel asks for it, after the reservation; a TextMessage's is read by the Artemis client as
 * it is received, before any listener runs, so large text messages are bounded by the number of consumers,
 * not by the budget.
 */
public final class LargeMessageGate implements MessageListenerContainerFactory {

    static final String LARGE_SIZE = "_AMQ_LARGE_SIZE";

    private final BodyBudget budget;

    public LargeMessageGate(BodyBudget budget) {
        this.budget = budget;
    }

    @Override
    public AbstractMessageListenerContainer createMessageListenerContainer(JmsEndpoint endpoint) {
        return new DefaultJmsMessageListenerContainer(endpoint) {
            @Override
            protected void invokeListener(Session session, Message message) throws JMSException {
                long size = size(message);
                if (size <= BodyBudget.SMALL) {
                    try {
                        super.invokeListener(session, message);
                    } finally {
                        if (size > 0) {
                            dropBody(message);
                        }
                    }
                    return;
                }
                long reserved;
                try {
                    reserved = budget.reserveWaiting(size);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    // the consumer is stopping: the transaction rolls back and the message stays queued
                    throw new JMSException("stopped while waiting for room for a large message");
                }
                try {
                    super.invokeListener(session, message);
                } finally {
                    dropBody(message);
                    budget.release(reserved);
                }
            }
        };
    }

    /**
     * The Artemis client keeps the consumer's last large message, body and all, until the next large
     * message arrives (its large-message controller holds the stream the body was read into): up to one
     * largest body per idle consumer, outside the budget. The message is done once the listener returned
     * (commit and rollback need only its id), so its body buffer is shrunk to nothing here.
     */
    static void dropBody(Message message) {
        if (message instanceof ActiveMQMessage jms && jms.getCoreMessage() instanceof CoreMessage core
                && core.getBuffer() != null) {
            core.getBuffer().capacity(0);
        }
    }

    static long size(Message message) throws JMSException {
        return message.propertyExists(LARGE_SIZE) ? message.getLongProperty(LARGE_SIZE) : 0;
    }
}
