package org.dotmac.integrations.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.dotmac.integrations.notification.NotificationHeaders;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A provider down for a while: accepted requests are parked on their queue and delivered once it is back. */
class ParkingTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "resilience.email.wait-duration-in-open-state", "500ms",
            "jms.max-redeliveries", "1",
            "jms.park-delay", "300",
            "jms.park-max-delay", "1000"));

    @Test
    void aRetryWaitsAsLongAsTheProvidersRetryAfter() throws Exception {
        sendgrid.answer(aResponse().withStatus(429).withHeader("Retry-After", "2"));
        int before = sendgrid.requests().size();
        gateway.sendJms("integrations.email", "{\"to\":\"ana@example.com\",\"subject\":\"retry after\",\"content\":\"c\"}",
                Map.of(NotificationHeaders.ID, "retry-after-1"));

        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.requests().size() >= before + 2);
        var requests = sendgrid.requests().subList(before, before + 2);
        long gap = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        // jms.redelivery-delay is 100 ms and jms.park-delay 300 ms here: only Retry-After makes it wait 2 s
        assertThat(gap).as("ms between the call and the next one").isGreaterThanOrEqualTo(1900);
        sendgrid.accept();
        // taken by the provider once it accepts (the refused calls carry the same body, so they cannot tell)
        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.acceptedIds().contains("retry-after-1"));
    }

    @Test
    void aRequesterWaitingOnReplyToLearnsItsRequestIsQueuedAndGetsNoSecondAnswer() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        try (Connection connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + gateway.brokerPort()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer answers = session.createConsumer(replies);
            sendAnswered(session, replies, "parked-reply-1", "parked reply");

            Message first = answers.receive(20_000);
            assertThat(first).as("an answer on JMSReplyTo").isNotNull();
            // not its own request echoed back: the answer a 202 gives over REST
            JsonNode queued = TestGateway.json(first.getBody(String.class));
            assertThat(queued.path("status").asText()).as(queued.toString()).isEqualTo("queued");
            assertThat(queued.path("id").asText()).isEqualTo("parked-reply-1");

            sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "ok"));
            await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.acceptedIds().contains("parked-reply-1"));
            // the parked copy went without JMSReplyTo: its delivery answers nobody, so the next answer on
            // the queue is that of a request sent after the delivery
            sendAnswered(session, replies, "parked-reply-probe", "probe");
            Message next = answers.receive(20_000);
            assertThat(next).as("the probe's answer").isNotNull();
            assertThat(TestGateway.json(next.getBody(String.class)).path("id").asText()).as("not a second answer")
                    .isEqualTo("parked-reply-probe");
            assertThat(sendgrid.acceptedIds()).containsOnlyOnce("parked-reply-1");
        }
    }

    @Test
    void aParkedRequestWithoutAnIdIsDeliveredWithTheIdItsAnswerGave() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        JsonNode queued = TestGateway.json(gateway.requestJms("integrations.email",
                "{\"to\":\"ana@example.com\",\"subject\":\"parked without id\",\"content\":\"c\"}"));
        String id = queued.path("id").asText();
        assertThat(id).as(queued.toString()).isNotEmpty();

        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "ok"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.acceptedIds().contains(id));
    }

    @Test
    void requestsAcceptedDuringAnOutageAreDeliveredOnceItEnds() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        java.util.List<String> accepted = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            var response = gateway.postJson("/api/v1/notifications/email",
                    "{\"to\":\"ana@example.com\",\"subject\":\"outage " + i + "\",\"content\":\"c\"}");
            assertThat(response.statusCode()).isEqualTo(202);
            accepted.add(TestGateway.json(response.body()).get("id").asText());
        }
        // tried and parked (then tried again until the breaker opens, which refuses without calling)
        try (LogCapture log = LogCapture.install()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> accepted.stream()
                    .allMatch(id -> log.text().contains("Parked message " + id + " on integrations.email")));
        }
        assertThat(sendgrid.acceptedIds()).as("nothing delivered during the outage").doesNotContainAnyElementsOf(accepted);

        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "ok"));
        // delivered within a parking delay of the recovery, and only once each: counted by the double's
        // answers, so that a call in flight while it switched is counted by what it was answered
        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.acceptedIds().containsAll(accepted));
        assertThat(sendgrid.acceptedIds()).doesNotHaveDuplicates();
        assertNothingDeadLettered();
    }

    @Test
    void everyRequestParkedDuringAnOutageIsDeliveredOnceKeyedOrNotOverRestAndJmsWhileTheInstanceStaysReady() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        List<String> accepted = new ArrayList<>();
        Map<String, String> keyedBodies = new LinkedHashMap<>();
        List<Integer> readiness = new CopyOnWriteArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (sampling.get()) {
                try {
                    readiness.add(gateway.get("/observe/health/ready").statusCode());
                    Thread.sleep(100);
                } catch (Exception e) {
                    readiness.add(-1);
                }
            }
        });
        try (LogCapture log = LogCapture.install()) {
            for (int i = 0; i < 4; i++) {
                String body = "{\"to\":\"ana@example.com\",\"subject\":\"keyed outage " + i + "\",\"content\":\"c\"}";
                var keyed = gateway.postJson("/api/v1/notifications/email", body, Map.of("Idempotency-Key", "outage-key-" + i));
                assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(202);
                accepted.add(TestGateway.json(keyed.body()).get("id").asText());
                keyedBodies.put("outage-key-" + i, body);
                var unkeyed = gateway.postJson("/api/v1/notifications/email",
                        "{\"to\":\"ana@example.com\",\"subject\":\"unkeyed outage " + i + "\",\"content\":\"c\"}");
                assertThat(unkeyed.statusCode()).isEqualTo(202);
                accepted.add(TestGateway.json(unkeyed.body()).get("id").asText());
            }
            for (int i = 0; i < 2; i++) {
                JsonNode keyed = TestGateway.json(gateway.requestJms("integrations.email",
                        "{\"to\":\"ana@example.com\",\"subject\":\"jms keyed outage " + i + "\",\"content\":\"c\"}",
                        Map.of("IdempotencyKey", "jms-outage-key-" + i)));
                assertThat(keyed.path("status").asText()).as(keyed.toString()).isEqualTo("queued");
                accepted.add(keyed.path("id").asText());
                JsonNode unkeyed = TestGateway.json(gateway.requestJms("integrations.email",
                        "{\"to\":\"ana@example.com\",\"subject\":\"jms unkeyed outage " + i + "\",\"content\":\"c\"}"));
                accepted.add(unkeyed.path("id").asText());
            }
            // every one was parked at least once before the provider came back
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.stream()
                    .allMatch(id -> log.text().contains("Parked message " + id + " on integrations.email")));
        }
        assertThat(sendgrid.acceptedIds()).as("nothing delivered during the outage").doesNotContainAnyElementsOf(accepted);

        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "ok"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sendgrid.acceptedIds())
                .as("delivered after the outage").containsAll(accepted));
        // the caller's own repeats of a key are still dropped: same id, nothing sent again
        for (var key : keyedBodies.entrySet()) {
            var repeat = gateway.postJson("/api/v1/notifications/email", key.getValue(), Map.of("Idempotency-Key", key.getKey()));
            assertThat(repeat.statusCode()).isEqualTo(202);
            assertThat(accepted).contains(TestGateway.json(repeat.body()).get("id").asText());
            // answered from the key store: nothing was put on the queue again
            assertThat(repeat.headers().firstValue("Idempotent-Replayed")).as(key.getKey()).hasValue("true");
        }
        sampling.set(false);
        sampler.join();
        List<String> delivered = sendgrid.acceptedIds().stream().filter(accepted::contains).toList();
        assertThat(delivered).as("each accepted request delivered exactly once").hasSameSizeAs(accepted).doesNotHaveDuplicates();
        assertNothingDeadLettered();
        assertThat(readiness).as("readiness while the provider was down").isNotEmpty().containsOnly(200);
    }

    /** An email with its id, answered on {@code replies}. */
    private static void sendAnswered(Session session, TemporaryQueue replies, String id, String subject) throws Exception {
        TextMessage request = session.createTextMessage("{\"to\":\"ana@example.com\",\"subject\":\"" + subject
                + "\",\"content\":\"c\"}");
        request.setStringProperty(NotificationHeaders.ID, id);
        request.setJMSReplyTo(replies);
        session.createProducer(session.createQueue("integrations.email")).send(request);
    }

    /** The dead-letter queue's listing, read once everything accepted was delivered: empty. */
    private static void assertNothingDeadLettered() throws Exception {
        var letters = gateway.get("/api/v1/dead-letters");
        assertThat(letters.statusCode()).isEqualTo(200);
        JsonNode listed = TestGateway.json(letters.body()).path("deadLetters");
        assertThat(listed.isArray()).as(letters.body()).isTrue();
        assertThat(listed).as("dead letters").isEmpty();
    }
}
