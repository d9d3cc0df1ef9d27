package org.dotmac.integrations.messaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.dotmac.integrations.support.BadJson;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed messages on every JMS queue, generated (seeded) and hand-written: each one lands on the
 * dead-letter queue at once, unchanged, with a reason and a 4xx status (a caller's mistake, not retried),
 * and the consumers keep consuming.
 */
class MalformedMessagesTest {

    static final long SEED = 20261128L;

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(BadJson.EVERY_INTEGRATION_NO_ENGINE);

    /** One malformed message: text, or bytes sent as a BytesMessage. */
    record Bad(String queue, String name, String text, byte[] bytes) {

        static Bad text(String queue, String name, String text) {
            return new Bad(queue, name, text, null);
        }
    }

    static List<Bad> messages() {
        Random random = new Random(SEED);
        List<Bad> bad = new ArrayList<>();
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("integrations.email", "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\",\"cc\":\"c@b.com\",\"replyTo\":\"r@b.com\"}");
        valid.put("integrations.sms", "{\"to\":\"+14155550100\",\"message\":\"m\"}");
        valid.put("integrations.notifications", "{\"type\":\"email\",\"recipient\":\"a@b.com\",\"message\":\"m\",\"subject\":\"s\"}");
        valid.put("integrations.search", "{\"operation\":\"index\",\"index\":\"products\",\"id\":\"p1\",\"document\":{\"name\":\"x\"}}");
        for (Map.Entry<String, String> queue : valid.entrySet()) {
            String q = queue.getKey();
            String json = queue.getValue();
            BadJson.parse(json).properties().forEach(field -> {
                for (String wrong : BadJson.WRONG_TYPES) {
                    // a number or boolean makes a valid index name or id ("42", "true")
                    boolean validName = (field.getKey().equals("index") || field.getKey().equals("id"))
                            && (wrong.equals("42") || wrong.equals("true"));
                    if (!validName && !(field.getKey().equals("document") && wrong.startsWith("{"))) {
                        bad.add(Bad.text(q, field.getKey() + " as " + wrong, BadJson.replace(json, field.getKey(), wrong)));
                    }
                }
                if (field.getValue().isTextual() && !q.equals("integrations.search")) {
                    boolean isBody = field.getKey().equals("message") || field.getKey().equals("content");
                    for (String breaker : BadJson.LINE_BREAKERS) {
                        if (!field.getKey().equals("type") && (!isBody || BadJson.NO_TEXT.contains(breaker))) {
                            bad.add(Bad.text(q, field.getKey() + " with " + breaker, BadJson.replace(json, field.getKey(),
                                    "\"" + BadJson.text(json, field.getKey()) + breaker + "\"")));
                        }
                    }
                }
                if (!field.getKey().equals("cc") && !field.getKey().equals("replyTo") && !field.getKey().equals("id")
                        && !(q.equals("integrations.notifications") && field.getKey().equals("subject"))) {
                    bad.add(Bad.text(q, "without " + field.getKey(), BadJson.remove(json, field.getKey())));
                }
            });
            bad.add(Bad.text(q, "not JSON", "hello"));
            bad.add(Bad.text(q, "truncated", json.substring(0, 5 + random.nextInt(json.length() - 10))));
            bad.add(Bad.text(q, "empty", ""));
            bad.add(Bad.text(q, "a JSON array", "[" + json + "]"));
            bad.add(Bad.text(q, "JSON null", "null"));
            bad.add(Bad.text(q, "nested 5,000 deep", BadJson.nested(5000)));
            bad.add(Bad.text(q, "unknown field", BadJson.replace(json, BadJson.parse(json).fieldNames().next(), "\"x\",\"bogus\":1")));
            bad.add(new Bad(q, "invalid UTF-8 (BytesMessage)", null, BadJson.withInvalidUtf8(json, random)));
            bad.add(Bad.text(q, "huge text", BadJson.replace(json, BadJson.parse(json).fieldNames().next(), "\"" + "x".repeat(2_000_000) + "\"")));
        }
        String alphabet = "ABCXYZ*,\"<>|?#:\\/ !$&'()+;=@[]^`{}~.";
        for (int i = 0; i < 15; i++) {
            StringBuilder index = new StringBuilder("idx" + random.nextInt(1000));
            index.insert(random.nextInt(index.length() + 1), alphabet.charAt(random.nextInt(alphabet.length())));
            bad.add(Bad.text("integrations.search", "index " + index, "{\"operation\":\"index\",\"index\":"
                    + TestGateway.JSON.valueToTree(index.toString()) + ",\"id\":\"p1\",\"document\":{\"a\":1}}"));
        }
        for (String index : List.of("_hidden", "-x", "..", "i".repeat(129), "")) {
            bad.add(Bad.text("integrations.search", "index " + index, "{\"operation\":\"delete\",\"index\":\"" + index + "\",\"id\":\"p1\"}"));
        }
        for (String id : List.of("_id", "a/b", "../etc", "a b", "i".repeat(600))) {
            bad.add(Bad.text("integrations.search", "id " + id, "{\"operation\":\"delete\",\"index\":\"products\",\"id\":\"" + id + "\"}"));
        }
        for (String operation : List.of("query", "drop", "INDEXX", "")) {
            bad.add(Bad.text("integrations.search", "operation " + operation, "{\"operation\":\"" + operation + "\",\"index\":\"products\",\"id\":\"p1\"}"));
        }
        bad.add(Bad.text("integrations.search", "bulk of nothing valid", "{\"operation\":\"index\",\"index\":\"products\",\"documents\":[{\"a\":1},2]}"));
        bad.add(Bad.text("integrations.search", "bulk empty", "{\"operation\":\"index\",\"index\":\"products\",\"documents\":[]}"));
        bad.add(Bad.text("integrations.search", "document id contradicts", "{\"operation\":\"index\",\"index\":\"products\",\"id\":\"p1\",\"document\":{\"id\":\"p2\"}}"));
        return bad;
    }

    @Test
    void everyMalformedMessageGoesToTheDeadLetterQueueAtOnceWithItsReason() throws Exception {
        List<Bad> bad = messages();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + gateway.brokerPort());
        Map<String, Message> dead = new HashMap<>();
        Map<String, Integer> perQueue = new LinkedHashMap<>();
        List<String> twice = new ArrayList<>();
        try (LogCapture log = LogCapture.install(); Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (int i = 0; i < bad.size(); i++) {
                Bad b = bad.get(i);
                Message message;
                if (b.bytes() != null) {
                    BytesMessage bytes = session.createBytesMessage();
                    bytes.writeBytes(b.bytes());
                    message = bytes;
                } else {
                    message = session.createTextMessage(b.text());
                }
                message.setStringProperty("CaseId", String.valueOf(i));
                MessageProducer producer = session.createProducer(session.createQueue(b.queue()));
                producer.send(message);
                producer.close();
                perQueue.merge(b.queue(), 1, Integer::sum);
            }
            MessageConsumer dlq = session.createConsumer(session.createQueue("integrations.dlq"));
            long until = System.currentTimeMillis() + 60_000;
            while (dead.size() < bad.size() && System.currentTimeMillis() < until) {
                Message message = dlq.receive(1_000);
                if (message != null && dead.put(message.getStringProperty("CaseId"), message) != null) {
                    twice.add(message.getStringProperty("CaseId"));
                }
            }

            List<String> missing = new ArrayList<>();
            for (int i = 0; i < bad.size(); i++) {
                Bad b = bad.get(i);
                Message message = dead.get(String.valueOf(i));
                if (message == null) {
                    missing.add(b.queue() + " " + b.name());
                    continue;
                }
                String what = b.queue() + " " + b.name();
                assertThat(message.getStringProperty("DeadLetterOriginalQueue")).as(what).isEqualTo(b.queue());
                assertThat(message.getStringProperty("DeadLetterReason")).as(what).isNotBlank().doesNotContain("\tat ");
                assertThat(message.getIntProperty("DeadLetterStatus")).as(what + ": " + message.getStringProperty("DeadLetterReason"))
                        .isBetween(400, 499);
                if (b.bytes() != null) {
                    assertThat(message.getBody(byte[].class)).as(what).isEqualTo(b.bytes());
                } else {
                    assertThat(message.getBody(String.class)).as(what).isEqualTo(b.text());
                }
            }
            assertThat(missing).as("malformed messages not on the dead-letter queue within 60 s").isEmpty();
            assertThat(twice).as("dead-lettered more than once").isEmpty();
            // at once: a caller's mistake is never retried in place (Camel logs every retry it makes)
            assertThat(log.text()).as("retries of malformed messages").doesNotContain("On delivery attempt");
        }
        System.out.printf("malformed JMS messages (seed %d): %d, all on integrations.dlq with a 4xx reason: %s%n",
                SEED, bad.size(), perQueue);
        assertThat(bad).hasSizeGreaterThanOrEqualTo(100);

        // the consumers still work
        gateway.sendJms("integrations.sms", "{\"to\":\"+14155550100\",\"message\":\"still here\"}");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> gateway.outbox().toString().contains("still here"));
    }
}
