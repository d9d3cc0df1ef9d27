package org.dotmac.integrations.messaging;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.Header;
import org.dotmac.integrations.api.ProblemException;

/**
 * The operators' view of the dead-letter queue: list, inspect, replay onto the queue a message
 * came from, delete. Replay and delete take the message in one local JMS transaction.
 */
public class DeadLetterQueue {

    private static final int MAX_LIST = 1000;

    private final ConnectionFactory connectionFactory;
    private final String queueName;

    public DeadLetterQueue(ConnectionFactory connectionFactory, String queueName) {
        this.connectionFactory = connectionFactory;
        this.queueName = queueName;
    }

    public Map<String, Object> list(@Header("limit") String limit) throws JMSException {
        int max = parseLimit(limit);
        List<Map<String, Object>> letters = new ArrayList<>();
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queueName));
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements() && letters.size() < max) {
                letters.add(describe((Message) messages.nextElement(), false));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queue", queueName);
        answer.put("deadLetters", letters);
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

    /** Puts the message back on the queue it came from, without the dead-letter properties. */
    public Map<String, Object> replay(@Header("id") String id) throws JMSException {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Message letter = take(session, id);
            String target = letter.getStringProperty(DeadLetters.ORIGINAL_QUEUE);
            if (target == null || target.isBlank() || target.equals(queueName)) {
                session.rollback();
                throw new ProblemException(409, "Conflict", "the dead letter does not say which queue it came from");
            }
            TextMessage copy = session.createTextMessage(letter.getBody(String.class));
            for (Enumeration<?> names = letter.getPropertyNames(); names.hasMoreElements();) {
                String name = (String) names.nextElement();
                if (!name.startsWith("DeadLetter") && !name.startsWith("JMS") && !name.startsWith("_AMQ")
                        && !name.startsWith("GatewayPark")) {
                    copy.setObjectProperty(name, letter.getObjectProperty(name));
                }
            }
            Queue queue = session.createQueue(target);
            session.createProducer(queue).send(copy);
            session.commit();
            return Map.of("id", id, "replayedTo", target);
        }
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
        letter.put("originalQueue", message.getStringProperty(DeadLetters.ORIGINAL_QUEUE));
        letter.put("reason", message.getStringProperty(DeadLetters.REASON));
        letter.put("status", message.getObjectProperty(DeadLetters.STATUS));
        letter.put("failedAt", message.getStringProperty(DeadLetters.FAILED_AT));
        letter.put("deliveryCount", message.getObjectProperty("JMSXDeliveryCount"));
        letter.put("parkings", message.getObjectProperty(Parking.COUNT));
        letter.put("history", message.getStringProperty(DeadLetters.HISTORY));
        if (withBody) {
            letter.put("body", message.getBody(String.class));
        }
        return letter;
    }

    private static String selector(String id) {
        if (id == null || !id.matches("ID:[A-Za-z0-9:-]{1,100}")) {
            throw ProblemException.invalid("id", "is not a dead letter's id (ID:...) as the listing gives it");
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
