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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * The real gateway in this JVM on free ports and a fresh data dir: HTTP through a real client,
 * JMS through the embedded broker's TCP port (as another process would), direct through a
 * ProducerTemplate. Register it with {@code @RegisterExtension} to run one per test class.
 */
public final class TestGateway implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    public static final String API_KEY = TestSecrets.GATEWAY_API_KEY;
    /** Room for a 30 MB email's attachment in one JSON string (Jackson's default stops at 20 M chars). */
    public static final com.fasterxml.jackson.core.StreamReadConstraints LARGE_STRINGS =
            com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build();
    public static final ObjectMapper JSON = new ObjectMapper(
            com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(LARGE_STRINGS).build());

    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final String awaitPath;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Gateway gateway;
    private int httpPort;
    private int brokerPort;
    private Path dataDir;
    private ActiveMQConnectionFactory jms;
    private ProducerTemplate producer;

    private TestGateway(Map<String, String> properties, Map<String, String> environment, String awaitPath) {
        this.properties = properties;
        this.environment = environment;
        this.awaitPath = awaitPath;
    }

    /** A gateway on the embedded defaults, started before the class's tests and stopped after them. */
    public static TestGateway perClass() {
        return perClass(Map.of(), Map.of());
    }

    public static TestGateway perClass(Map<String, String> properties) {
        return perClass(properties, Map.of());
    }

    /** @param environment the process environment the gateway reads its platform-style names from */
    public static TestGateway perClass(Map<String, String> properties, Map<String, String> environment) {
        return new TestGateway(properties, environment, "/observe/health/ready");
    }

    /** Started at once; returns when the gateway is alive, ready or not. Close it yourself. */
    public static TestGateway startAlive(Map<String, String> properties) throws Exception {
        return new TestGateway(properties, Map.of(), "/observe/health/live").startNow();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        startNow();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** For a class that must prepare something first; close it yourself. */
    public TestGateway startNow() throws Exception {
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
        return this;
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
        return postJson(path, body, Map.of());
    }

    /** As {@link #postJson(String, String)}, with more headers (an Idempotency-Key, ...). */
    public HttpResponse<String> postJson(String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("X-API-Key", API_KEY)
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public HttpResponse<byte[]> sendBytes(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    }

    /** Puts a text message on a queue, as another service would. */
    public void sendJms(String queue, String body) throws Exception {
        sendJms(queue, body, Map.of());
    }

    /** As {@link #sendJms(String, String)}, with string properties on the message. */
    public void sendJms(String queue, String body, Map<String, String> properties) throws Exception {
        try (Connection connection = jms.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage(body);
            for (Map.Entry<String, String> property : properties.entrySet()) {
                message.setStringProperty(property.getKey(), property.getValue());
            }
            session.createProducer(session.createQueue(queue)).send(message);
        }
    }

    /** Sends with JMSReplyTo set and waits for the gateway's answer. */
    public String requestJms(String queue, String body) throws Exception {
        return requestJms(queue, body, Map.of());
    }

    /** As {@link #requestJms(String, String)}, with string properties on the message. */
    public String requestJms(String queue, String body, Map<String, String> properties) throws Exception {
        return requestJms(jms, queue, body, properties);
    }

    /** As {@link #requestJms(String, String, Map)}, through any broker connection factory (another user's). */
    public static String requestJms(jakarta.jms.ConnectionFactory factory, String queue, String body,
            Map<String, String> properties) throws Exception {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            TextMessage message = session.createTextMessage(body);
            for (Map.Entry<String, String> property : properties.entrySet()) {
                message.setStringProperty(property.getKey(), property.getValue());
            }
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
                // read it before the session closes (the gateway queues its own requests as UTF-8 bytes)
                if (message instanceof jakarta.jms.BytesMessage) {
                    message.getBody(byte[].class);
                } else {
                    message.getBody(String.class);
                }
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

    /** One check of a health answer, by name. */
    public static JsonNode healthCheck(JsonNode health, String name) {
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no health check " + name + " in " + health);
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
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
