package org.dotmac.integrations.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.notification.NotificationHeaders;

/**
 * A request that is still failing transiently after its in-place retries is parked: sent back to
 * its queue for a later delivery the broker schedules (durable, no thread held), with a growing
 * delay capped at {@code jms.park-max-delay} so it is tried again soon after the provider recovers.
 * After {@code jms.park-limit} parkings, or once {@code jms.park-max-age} has passed since the first,
 * it goes to the dead-letter queue with its history.
 */
public class Parking {

    public static final String COUNT = "GatewayParkCount";
    public static final String HISTORY = "GatewayParkHistory";
    /** Epoch milliseconds of the first parking: with jms.park-max-age it bounds the total time spent retrying. */
    public static final String FIRST_PARKED = "GatewayFirstParkedAt";
    /** Artemis: deliver no sooner than this epoch millisecond. */
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    static final String DECISION = "GatewayParkDecision";
    static final String QUEUE = "GatewayParkQueue";

    private final Settings settings;

    public Parking(Settings settings) {
        this.settings = settings;
    }

    /** The properties that carry a message's parking budget and history. */
    static boolean isParkingProperty(String name) {
        return name.equals(COUNT) || name.equals(HISTORY) || name.equals(FIRST_PARKED) || name.equals(DECISION)
                || name.equals(QUEUE);
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
        // the parked copy is the gateway's own re-send: with the caller's duplicate id the broker's cache
        // would drop it as a repeat (a keyed request was lost that way); the cache still holds the id
        // from the first send, so the caller's real repeats are still dropped
        BrokerProperties.drop(message);
        QueueOrder.carry(exchange);
        long now = System.currentTimeMillis();
        long firstParked = message.getHeader(FIRST_PARKED, now, Long.class);
        message.setHeader(FIRST_PARKED, firstParked);
        long maxAge = org.apache.camel.util.TimeUtils.toMilliSeconds(settings.get("jms.park-max-age", "1h"));
        if (count > settings.getInt("jms.park-limit", 50) || now - firstParked >= maxAge) {
            message.setHeader(DECISION, "dead");
            return;
        }
        long base = settings.getLong("jms.park-delay", 5000);
        long max = settings.getLong("jms.park-max-delay", 60_000);
        // a provider's Retry-After is honoured when it asks for longer, up to jms.park-max-age: an absurd
        // one would otherwise schedule the message past the age at which it is dead-lettered
        long delay = Math.max(Math.min(max, base << Math.min(count - 1, 20)), Math.min(RetryAfter.of(failure), maxAge));
        message.setHeader(SCHEDULED_DELIVERY, now + delay);
        message.setHeader(DECISION, "park");
    }

    /**
     * The answer for a requester waiting on JMSReplyTo once its request is parked: queued, with its id
     * when it has one, as a 202 answers over REST (as a map: the route writes it as JSON). Without it the
     * requester got its own request back as the answer. The parked copy is sent InOnly, without
     * JMSReplyTo: nobody gets a second answer.
     */
    public void queuedReply(Exchange exchange) {
        Message message = exchange.getMessage();
        String id = message.getHeader(NotificationHeaders.ID, String.class);
        Map<String, String> answer = new LinkedHashMap<>();
        message.getHeaders().clear();
        if (id != null) {
            answer.put("id", id);
            message.setHeader(NotificationHeaders.ID, id);
        }
        answer.put("status", "queued");
        answer.put("detail", "the provider is unavailable: the request is parked on its queue and delivered later,"
                + " without a further answer");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(answer);
    }
}
