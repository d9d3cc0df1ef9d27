package org.dotmac.integrations.messaging;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.dotmac.integrations.notification.NotificationHeaders;
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
        gateway.sendJms("integrations.email", "{\"to\":\"ana@example.com\",\"subject\":\"retry after\",\"content\":\"c\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.requests().size() >= before + 2);
        var requests = sendgrid.requests().subList(before, before + 2);
        long gap = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        // jms.redelivery-delay is 100 ms and jms.park-delay 300 ms here: only Retry-After makes it wait 2 s
        assertThat(gap).as("ms between the call and the next one").isGreaterThanOrEqualTo(1900);
        sendgrid.accept();
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.receiveJms("integrations.email", 100) == null
                && sendgrid.requests().stream().anyMatch(r -> r.getBodyAsString().contains("retry after")));
    }

    @Test
    void aRequesterWaitingOnReplyToLearnsItsRequestIsQueuedAndGetsNoSecondAnswer() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        try (Connection connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + gateway.brokerPort()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer answers = session.createConsumer(replies);
            TextMessage request = session.createTextMessage("{\"to\":\"ana@example.com\",\"subject\":\"parked reply\",\"content\":\"c\"}");
            request.setStringProperty(NotificationHeaders.ID, "parked-reply-1");
            request.setJMSReplyTo(replies);
            session.createProducer(session.createQueue("integrations.email")).send(request);

            Message first = answers.receive(20_000);
            assertThat(first).as("an answer on JMSReplyTo").isNotNull();
            // not its own request echoed back: the answer a 202 gives over REST
            JsonNode queued = TestGateway.json(first.getBody(String.class));
            assertThat(queued.path("status").asText()).as(queued.toString()).isEqualTo("queued");
            assertThat(queued.path("id").asText()).isEqualTo("parked-reply-1");

            sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "ok"));
            await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.acceptedIds().contains("parked-reply-1"));
            // the parked copy went without JMSReplyTo: its delivery answers nobody
            assertThat(answers.receive(1500)).as("a second answer").isNull();
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
        // tried, parked, tried again (until the breaker opens, which then refuses without calling)
        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.requests().size() >= 5);

        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "ok"));
        // delivered within a parking delay of the recovery, and only once each: counted by the double's
        // answers, so that a call in flight while it switched is counted by what it was answered
        await().atMost(Duration.ofSeconds(20)).until(() -> sendgrid.acceptedIds().containsAll(accepted));
        assertThat(sendgrid.acceptedIds()).doesNotHaveDuplicates();
        assertThat(gateway.receiveJms("integrations.dlq", 500)).as("nothing dead-lettered").isNull();
    }
}
