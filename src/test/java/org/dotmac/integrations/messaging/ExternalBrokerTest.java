package org.dotmac.integrations.messaging;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * With jms.broker-url set the gateway starts no broker of its own and queues through the external one;
 * while that broker is away, accepting answers 503 and readiness is down, and the gateway reconnects by itself.
 */
class ExternalBrokerTest {

    static EmbeddedActiveMQ external;
    static TestGateway gateway;
    static String brokerUrl;

    @BeforeAll
    static void start() throws Exception {
        int port = TestGateway.freePort();
        external = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setName("external-broker")
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port)
                // what the gateway checks an external broker for (BrokerPolicyTest refuses a broker without it)
                .addAddressSetting("#", new AddressSettings().setDeadLetterAddress(SimpleString.of("integrations.dlq"))
                        .setRedeliveryDelay(100).setAutoDeleteQueues(false).setAutoDeleteAddresses(false)));
        external.start();
        brokerUrl = "tcp://127.0.0.1:" + port;
        gateway = TestGateway.perClass(Map.of("jms.broker-url", brokerUrl)).startNow();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        external.stop();
    }

    @Test
    void queuesThroughTheExternalBrokerAndStartsNone() throws Exception {
        // counted from here: the other tests of the class may have run first, on the same broker
        int before = gateway.outbox().get("count").asInt();
        Queue existing = external.getActiveMQServer().locateQueue(SimpleString.of("integrations.sms"));
        long addedBefore = existing == null ? 0 : existing.getMessagesAdded();
        var response = gateway.postJson("/api/v1/notifications/sms", "{\"to\":\"+14155550100\",\"message\":\"m\"}");
        assertThat(response.statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.outbox().get("count").asInt() == before + 1);
        Queue queue = external.getActiveMQServer().locateQueue(SimpleString.of("integrations.sms"));
        assertThat(queue).as("the queue lives on the external broker").isNotNull();
        assertThat(queue.getMessagesAdded()).isEqualTo(addedBefore + 1);
        assertThat(gateway.dataDir().resolve("broker")).as("no embedded broker journal").doesNotExist();
    }

    @Test
    void whileTheBrokerIsAwayAcceptingAnswers503AndReadinessIsDownThenItReconnects() throws Exception {
        external.stop();
        try {
            long started = System.nanoTime();
            HttpResponse<String> refused = gateway.postJson("/api/v1/notifications/sms", "{\"to\":\"+14155550100\",\"message\":\"away\"}");
            System.out.printf("the refusal took %d ms%n", (System.nanoTime() - started) / 1_000_000);
            // the next ones are refused without waiting on the broker, so requests do not pile up
            long next = System.nanoTime();
            HttpResponse<String> refusedAgain = gateway.postJson("/api/v1/notifications/sms", "{\"to\":\"+14155550100\",\"message\":\"away\"}");
            System.out.printf("the next refusal took %d ms%n", (System.nanoTime() - next) / 1_000_000);
            long probe = System.nanoTime();
            HttpResponse<String> ready = gateway.get("/observe/health/ready");
            System.out.printf("readiness took %d ms%n", (System.nanoTime() - probe) / 1_000_000);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.body()).contains("broker").doesNotContain("Exception");
            assertThat(refusedAgain.statusCode()).isEqualTo(503);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(TestGateway.healthCheck(TestGateway.json(ready.body()), "jms-broker").get("status").asText()).isEqualTo("DOWN");
        } finally {
            external.start();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.get("/observe/health/ready").statusCode() == 200);
        int before = gateway.outbox().get("count").asInt();
        // as a client would: repeat after a 503 (the sending connection may reconnect a moment after readiness)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> gateway.postJson(
                "/api/v1/notifications/sms", "{\"to\":\"+14155550100\",\"message\":\"back\"}").statusCode() == 202);
        // the consumers reconnected too
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.outbox().get("count").asInt() == before + 1);
    }

    @Test
    void stopsWhileTheBrokerIsAway() throws Exception {
        TestGateway second = TestGateway.perClass(Map.of("jms.broker-url", brokerUrl)).startNow();
        external.stop();
        try {
            // a SIGTERM while the broker is down must still end the process (it used to wait for ever
            // on the client's reconnect loop); the guard only keeps a regression from hanging the build
            assertTimeoutPreemptively(Duration.ofSeconds(90), second::close);
        } finally {
            external.start();
        }
    }
}
