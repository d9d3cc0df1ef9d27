package org.dotmac.integrations.messaging;

import java.time.Instant;

import jakarta.jms.JMSException;
import jakarta.jms.Queue;

import org.apache.camel.Exchange;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.Problems;

/**
 * Prepares a JMS message that cannot be processed for the dead-letter queue: the original body,
 * plus properties that say why and where it came from.
 */
public class DeadLetters {

    public static final String REASON = "DeadLetterReason";
    public static final String STATUS = "DeadLetterStatus";
    public static final String ORIGINAL_QUEUE = "DeadLetterOriginalQueue";
    public static final String FAILED_AT = "DeadLetterFailedAt";
    public static final String HISTORY = "DeadLetterHistory";

    public void describe(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = failure instanceof ProblemException p ? p.status() : 500;
        String reason = failure instanceof ProblemException p ? p.detail()
                : failure == null ? "unknown failure" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        var message = exchange.getMessage();
        String from = queueName(message.getHeader("JMSDestination"));
        // a second dead-lettering of a replayed keyed request would otherwise be dropped as a duplicate
        BrokerProperties.drop(message);
        QueueOrder.carry(exchange);
        message.setHeader(REASON, truncate(reason));
        message.setHeader(STATUS, status);
        message.setHeader(ORIGINAL_QUEUE, from);
        message.setHeader(FAILED_AT, Instant.now().toString());
        // where it was parked before: every earlier failure, oldest first
        String history = message.getHeader(Parking.HISTORY, String.class);
        if (history != null) {
            message.setHeader(HISTORY, history);
        }
        String parkedFrom = message.getHeader(Parking.QUEUE, String.class);
        if (parkedFrom != null) {
            message.setHeader(ORIGINAL_QUEUE, parkedFrom);
        }
    }

    /** The answer for a requester that set JMSReplyTo: the problem, as the REST door would give it. */
    public void problemReply(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String body = failure instanceof ProblemException p ? Problems.json(p, null)
                : Problems.json(500, "Internal Server Error", "the request could not be processed; it was moved to the dead-letter queue",
                        null, null);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, Problems.MEDIA_TYPE);
    }

    static String queueName(Object destination) {
        try {
            return destination instanceof Queue queue ? queue.getQueueName() : String.valueOf(destination);
        } catch (JMSException e) {
            return String.valueOf(destination);
        }
    }

    private static String truncate(String reason) {
        return reason.length() > 1000 ? reason.substring(0, 1000) + "..." : reason;
    }
}
