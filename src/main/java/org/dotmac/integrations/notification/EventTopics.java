package org.dotmac.integrations.notification;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import org.dotmac.integrations.notification.StatusStore.Recorded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;

/**
 * Every kept event as one JSON message: on the queue a JMS requester named in {@code EventsReplyTo}
 * (persistent), and, with {@code notification.events-topics}, on the topic {@code integrations.events}
 * (for operators) and on {@code integrations.events.<caller>} (each caller's own, so that a subscriber
 * can be given its own notifications only). The topics are non-persistent: a topic reaches those
 * subscribed at the time, and the status record, not the topic, is what keeps an event. A send that
 * fails is counted and logged, never passed on.
 */
public class EventTopics {

    private static final Logger LOG = LoggerFactory.getLogger(EventTopics.class);
    public static final String ALL = "integrations.events";

    private final JmsTemplate jms;
    private final JmsTemplate replies;
    private final boolean topics;
    private final ObjectMapper json = new ObjectMapper();
    private final Counter failures;
    private final AtomicLong lastWarning = new AtomicLong();

    /** @param topics whether events go on the topics (notification.events-topics); a requester's reply queue gets them either way */
    public EventTopics(ConnectionFactory connectionFactory, MeterRegistry meters, boolean topics) {
        this.topics = topics;
        this.replies = new JmsTemplate(connectionFactory);
        this.jms = new JmsTemplate(connectionFactory);
        jms.setPubSubDomain(true);
        jms.setExplicitQosEnabled(true);
        jms.setDeliveryPersistent(false);
        this.failures = Counter.builder("gateway_notification_event_publish_failures")
                .description("events that could not be put on the events topics").register(meters);
    }

    /** The caller's topic: its id with anything but letters, digits, '.', '_' and '-' turned into '_'. */
    public static String topicOf(String caller) {
        return ALL + "." + caller.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public void publish(Recorded recorded) {
        if (!topics && recorded.replyTo() == null) {
            return;
        }
        try {
            String body = json.writeValueAsString(message(recorded));
            if (recorded.replyTo() != null) {
                replies.send(recorded.replyTo(), session -> session.createTextMessage(body));
            }
            if (topics) {
                jms.send(ALL, session -> session.createTextMessage(body));
                if (recorded.caller() != null) {
                    jms.send(topicOf(recorded.caller()), session -> session.createTextMessage(body));
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            failures.increment();
            long now = System.currentTimeMillis();
            long last = lastWarning.get();
            if (now - last > 60_000 && lastWarning.compareAndSet(last, now)) {
                LOG.warn("Could not publish notification events on {} (counted in "
                        + "gateway_notification_event_publish_failures_total; this warning at most once a minute): {}", ALL, e.toString());
            }
        }
    }

    static Map<String, Object> message(Recorded recorded) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", recorded.id());
        message.put("type", recorded.type());
        message.put("event", recorded.event().wire());
        message.put("status", recorded.to().wire());
        message.put("at", Instant.ofEpochMilli(recorded.at()).toString());
        if (recorded.provider() != null) {
            message.put("provider", recorded.provider());
        }
        if (recorded.providerEvent() != null) {
            message.put("providerEvent", recorded.providerEvent());
        }
        if (recorded.detail() != null) {
            message.put("detail", recorded.detail());
        }
        return message;
    }
}
