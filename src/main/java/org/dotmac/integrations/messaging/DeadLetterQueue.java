package org.dotmac.integrations.messaging;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import org.apache.camel.Header;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.RequestBodies;

/**
 * The operators' view of the dead-letter queue: list, inspect, replay onto the queue a message
 * came from, delete. Replay and delete take the message in one local JMS transaction.
 */
public class DeadLetterQueue {

    private static final int MAX_LIST = 1000;
    /** Set by the broker on a message it moved to the dead-letter address itself. */
    static final String BROKER_ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";
    static final String BROKER_ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";

    private final ConnectionFactory connectionFactory;
    private final String queueName;
    private final java.util.function.Consumer<String> onReplay;

    /** @param onReplay told the notification id a replayed letter carries, before the copy can be delivered */
    public DeadLetterQueue(ConnectionFactory connectionFactory, String queueName, java.util.function.Consumer<String> onReplay) {
        this.connectionFactory = connectionFactory;
        this.queueName = queueName;
        this.onReplay = onReplay;
    }

    /**
     * A page of the queue, oldest first. {@code cursor} is the last id of the page before: the browse
     * starts after it. A cursor that names a letter no longer there (replayed or deleted meanwhile) is a
     * 400 rather than an empty page, which would end a caller's walk silently.
     */
    public Map<String, Object> list(@Header("limit") String limit, @Header("cursor") String cursor) throws JMSException {
        int max = parseLimit(limit);
        if (cursor != null) {
            selector(cursor, "cursor");
        }
        List<Map<String, Object>> letters = new ArrayList<>();
        boolean more = false;
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queueName));
            Enumeration<?> messages = browser.getEnumeration();
            boolean started = cursor == null;
            while (messages.hasMoreElements()) {
                Message message = (Message) messages.nextElement();
                if (!started) {
                    started = cursor.equals(message.getJMSMessageID());
                    continue;
                }
                if (letters.size() == max) {
                    more = true;
                    break;
                }
                letters.add(describe(message, false));
            }
            if (!started) {
                throw ProblemException.invalid("cursor", "names no dead letter any more (replayed or deleted since):"
                        + " list again from the start");
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queue", queueName);
        answer.put("deadLetters", letters);
        answer.put("nextCursor", more ? letters.get(letters.size() - 1).get("id") : null);
        return answer;
    }

    public Map<String, Object> get(@Header("id") String id) throws JMSException {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Enumeration<?> found = session.createBrowser(session.createQueue(queueName), selector(id)).getEnumeration();
            if (!found.hasMoreElements()) {
                throw notFound(id);
            }
            return describe((Message) found.nextElement(), true);
        }
    }

    /**
     * Puts the message back on the queue it came from as a new request: without the dead-letter
     * properties, the broker's own (its duplicate id would make the broker drop the copy) and the
     * parking history, so it starts a fresh retry budget. A letter the broker dead-lettered itself
     * (after {@code jms.max-delivery-attempts}) names its queue only in the broker's properties.
     */
    public Map<String, Object> replay(@Header("id") String id) throws JMSException {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Message letter = take(session, id);
            String target = originalQueue(letter);
            if (target == null || target.isBlank() || target.equals(queueName)) {
                session.rollback();
                throw new ProblemException(409, "Conflict", "the dead letter does not say which queue it came from");
            }
            Message copy = copyBody(session, letter);
            if (copy == null) {
                session.rollback();
                throw new ProblemException(409, "Conflict", "the dead letter is a " + kind(letter)
                        + ", which the gateway's queues do not take; delete it");
            }
            for (Enumeration<?> names = letter.getPropertyNames(); names.hasMoreElements();) {
                String name = (String) names.nextElement();
                if (!name.startsWith("DeadLetter") && !name.startsWith("JMS") && !BrokerProperties.isBrokers(name)
                        && !Parking.isParkingProperty(name)) {
                    copy.setObjectProperty(name, letter.getObjectProperty(name));
                }
            }
            // the notification's record shows the replay before its copy can be delivered
            String notification = letter.getStringProperty("NotificationId");
            if (notification != null) {
                onReplay.accept(notification);
            }
            Queue queue = session.createQueue(target);
            session.createProducer(queue).send(copy);
            session.commit();
            return Map.of("id", id, "replayedTo", target);
        }
    }

    private static Message copyBody(Session session, Message letter) throws JMSException {
        if (letter instanceof TextMessage text) {
            return session.createTextMessage(text.getText());
        }
        if (letter instanceof BytesMessage bytes) {
            BytesMessage copy = session.createBytesMessage();
            copy.writeBytes(bytes.getBody(byte[].class));
            return copy;
        }
        if (kind(letter).equals("message without a body")) {
            return session.createMessage();
        }
        return null;
    }

    private static String originalQueue(Message letter) throws JMSException {
        String gateway = letter.getStringProperty(DeadLetters.ORIGINAL_QUEUE);
        if (gateway != null) {
            return gateway;
        }
        String queue = letter.getStringProperty(BROKER_ORIGINAL_QUEUE);
        return queue != null ? queue : letter.getStringProperty(BROKER_ORIGINAL_ADDRESS);
    }

    public void delete(@Header("id") String id) throws JMSException {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            take(session, id);
            session.commit();
        }
    }

    private Message take(Session session, String id) throws JMSException {
        MessageConsumer consumer = session.createConsumer(session.createQueue(queueName), selector(id));
        Message message = consumer.receive(2000);
        if (message == null) {
            session.rollback();
            throw notFound(id);
        }
        return message;
    }

    private static Map<String, Object> describe(Message message, boolean withBody) throws JMSException {
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("id", message.getJMSMessageID());
        letter.put("originalQueue", originalQueue(message));
        letter.put("type", kind(message));
        letter.put("reason", message.getStringProperty(DeadLetters.REASON));
        letter.put("status", message.getObjectProperty(DeadLetters.STATUS));
        letter.put("failedAt", message.getStringProperty(DeadLetters.FAILED_AT));
        letter.put("deliveryCount", message.getObjectProperty("JMSXDeliveryCount"));
        letter.put("parkings", message.getObjectProperty(Parking.COUNT));
        letter.put("history", message.getStringProperty(DeadLetters.HISTORY));
        if (withBody) {
            if (message instanceof BytesMessage bytes) {
                // the gateway queues its own requests as UTF-8 bytes: show those as the text they are
                byte[] body = bytes.getBody(byte[].class);
                String text = utf8(body);
                if (text == null) {
                    letter.put("bodyEncoding", "base64");
                }
                letter.put("body", text != null ? text : Base64.getEncoder().encodeToString(body));
            } else if (message instanceof TextMessage text) {
                letter.put("body", text.getText());
            } else {
                letter.put("body", null);
            }
        }
        return letter;
    }

    private static String utf8(byte[] body) {
        try {
            return RequestBodies.utf8(body);
        } catch (ProblemException e) {
            return null; // not text: shown as base64
        }
    }

    private static String kind(Message message) {
        return switch (message) {
            case TextMessage t -> "text";
            case BytesMessage b -> "bytes";
            case MapMessage m -> "map message";
            case ObjectMessage o -> "object message";
            case StreamMessage st -> "stream message";
            default -> "message without a body";
        };
    }

    private static String selector(String id) {
        return selector(id, "id");
    }

    private static String selector(String id, String field) {
        if (id == null || !id.matches("ID:[A-Za-z0-9:-]{1,100}")) {
            throw ProblemException.invalid(field, "is not a dead letter's id (ID:...) as the listing gives it");
        }
        return "JMSMessageID = '" + id + "'";
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 100;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIST) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.invalid("limit", "must be a whole number from 1 to " + MAX_LIST);
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(404, "Not Found", "no dead letter with id " + id);
    }
}
