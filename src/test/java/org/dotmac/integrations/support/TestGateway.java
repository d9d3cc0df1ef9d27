package org.dotmac.integrations.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.ProducerTemplate;
import org.dotmac.integrations.Gateway;

import static org.awaitility.Awaitility.await;

/**
 * The real gateway in this JVM on free ports and a fresh data dir: HTTP through a real client,
 * JMS through the embedded broker's TCP port (as another process would), direct through a
 * ProducerTemplate. Start it once per test class.
 */
public final class TestGateway implements AutoCloseable {

    public static final String API_KEY = "test-key-0123456789abcdef";
    public static final ObjectMapper JSON = new ObjectMapper();

    private final Gateway gateway;
    private final int httpPort;
    private final int brokerPort;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ActiveMQConnectionFactory jms;
    private ProducerTemplate producer;

    private TestGateway(Map<String, String> properties, Map<String, String> environment) throws Exception {
        this(properties, environment, "/observe/health/ready");
    }

    private TestGateway(Map<String, String> properties, Map<String, String> environment, String awaitPath)
            throws Exception {
        httpPort = freePort();
        brokerPort = freePort();
        dataDir = Files.createTempDirectory("gateway-test");
        Map<String, String> overrides = new HashMap<>();
        overrides.put("camel.server.port", String.valueOf(httpPort));
        overrides.put("jms.embedded.port", String.valueOf(brokerPort));
        overrides.put("gateway.data-dir", dataDir.toString());
        overrides.put("gateway.api-keys", API_KEY);
        overrides.put("jms.redelivery-delay", "100");
        overrides.putAll(properties);
        gateway = new Gateway(environment, overrides).start();
        jms = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(awaitPath).statusCode() == 200);
    }

    public static TestGateway start() throws Exception {
        return new TestGateway(Map.of(), Map.of());
    }

    public static TestGateway start(Map<String, String> properties) throws Exception {
        return new TestGateway(properties, Map.of());
    }

    public static TestGateway start(Map<String, String> properties, Map<String, String> environment) throws Exception {
        return new TestGateway(properties, environment);
    }

    /** Returns once the gateway is alive, ready or not. */
    public static TestGateway startAlive(Map<String, String> properties) throws Exception {
        return new TestGateway(properties, Map.of(), "/observe/health/live");
    }

    public Gateway gateway() {
        return gateway;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", API_KEY).GET().build());
    }

    public HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("X-API-Key", API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    }

    /** Puts a text message on a queue, as another service would. */
    public void sendJms(String queue, String body) throws Exception {
        try (Connection connection = jms.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage(body));
        }
    }

    /** Sends with JMSReplyTo set and waits for the gateway's answer. */
    public String requestJms(String queue, String body) throws Exception {
        try (Connection connection = jms.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            TextMessage message = session.createTextMessage(body);
            message.setJMSReplyTo(replies);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.send(message);
            Message reply = session.createConsumer(replies).receive(20_000);
            if (reply == null) {
                throw new AssertionError("no reply on JMSReplyTo within 20 s");
            }
            return reply.getBody(String.class);
        }
    }

    /** The next message on a queue, or null after the timeout. */
    public Message receiveJms(String queue, long timeoutMillis) throws Exception {
        try (Connection connection = jms.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            Message message = consumer.receive(timeoutMillis);
            if (message != null) {
                // read it before the session closes
                message.getBody(String.class);
            }
            return message;
        }
    }

    /** The properties of the first message on a queue, left where it is. */
    public Map<String, Object> browseJmsProperties(String queue) throws Exception {
        try (Connection connection = jms.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var messages = session.createBrowser(session.createQueue(queue)).getEnumeration();
            if (!messages.hasMoreElements()) {
                throw new AssertionError("queue " + queue + " is empty");
            }
            Message message = (Message) messages.nextElement();
            Map<String, Object> properties = new HashMap<>();
            for (var names = message.getPropertyNames(); names.hasMoreElements();) {
                String name = (String) names.nextElement();
                properties.put(name, message.getObjectProperty(name));
            }
            return properties;
        }
    }

    /** Calls a direct endpoint as Java code in the same JVM would; failures come back as exceptions. */
    public Object direct(String uri, Object body) {
        if (producer == null) {
            producer = gateway.context().createProducerTemplate();
        }
        return producer.requestBody(uri, body);
    }

    public JsonNode outbox() throws Exception {
        return JSON.readTree(get("/api/v1/outbox").body());
    }

    public static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws Exception {
        if (producer != null) {
            producer.close();
        }
        jms.close();
        gateway.stop();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
