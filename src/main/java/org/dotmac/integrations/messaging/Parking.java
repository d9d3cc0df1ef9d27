package org.dotmac.integrations.messaging;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dotmac.integrations.api.ProblemException;
import org.dotmac.integrations.config.Settings;

/**
 * A request that is still failing transiently after its in-place retries is parked: sent back to
 * its queue for a later delivery the broker schedules (durable, no thread held), with a growing
 * delay capped at {@code jms.park-max-delay} so it is tried again soon after the provider recovers.
 * After {@code jms.park-limit} parkings it goes to the dead-letter queue with its history.
 */
public class Parking {

    public static final String COUNT = "GatewayParkCount";
    public static final String HISTORY = "GatewayParkHistory";
    /** Artemis: deliver no sooner than this epoch millisecond. */
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    static final String DECISION = "GatewayParkDecision";
    static final String QUEUE = "GatewayParkQueue";

    private final Settings settings;

    public Parking(Settings settings) {
        this.settings = settings;
    }

    public void park(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int count = message.getHeader(COUNT, 0, Integer.class) + 1;
        String reason = failure instanceof ProblemException p ? p.detail() : String.valueOf(failure);
        String history = message.getHeader(HISTORY, "", String.class);
        history = (history.isEmpty() ? "" : history + " | ") + Instant.now() + " " + reason;
        message.setHeader(COUNT, count);
        message.setHeader(HISTORY, history.length() > 4000 ? history.substring(history.length() - 4000) : history);
        message.setHeader(QUEUE, DeadLetters.queueName(message.getHeader("JMSDestination")));
        if (count > settings.getInt("jms.park-limit", 50)) {
            message.setHeader(DECISION, "dead");
            return;
        }
        long base = settings.getLong("jms.park-delay", 5000);
        long max = settings.getLong("jms.park-max-delay", 60_000);
        // a provider's Retry-After is honoured when it asks for longer
        long delay = Math.max(Math.min(max, base << Math.min(count - 1, 20)), RetryAfter.of(failure));
        message.setHeader(SCHEDULED_DELIVERY, System.currentTimeMillis() + delay);
        message.setHeader(DECISION, "park");
    }
}
