package org.dotmac.integrations.messaging;

import java.time.Duration;
import java.util.Map;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With jms.broker-url set the gateway starts no broker of its own and queues through the external one. */
class ExternalBrokerTest {

    static EmbeddedActiveMQ external;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        int port = TestGateway.freePort();
        external = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setName("external-broker")
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port));
        external.start();
        gateway = TestGateway.perClass(Map.of("jms.broker-url", "tcp://127.0.0.1:" + port)).startNow();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        external.stop();
    }

    @Test
    void queuesThroughTheExternalBrokerAndStartsNone() throws Exception {
        var response = gateway.postJson("/api/v1/notifications/sms", "{\"to\":\"+14155550100\",\"message\":\"m\"}");
        assertThat(response.statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.outbox().get("count").asInt() == 1);
        Queue queue = external.getActiveMQServer().locateQueue(SimpleString.of("integrations.sms"));
        assertThat(queue).as("the queue lives on the external broker").isNotNull();
        assertThat(queue.getMessagesAdded()).isEqualTo(1);
        assertThat(gateway.dataDir().resolve("broker")).as("no embedded broker journal").doesNotExist();
    }
}
