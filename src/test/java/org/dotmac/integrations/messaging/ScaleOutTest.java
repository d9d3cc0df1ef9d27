package org.dotmac.integrations.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import org.dotmac.integrations.support.ArtemisServer;
import org.dotmac.integrations.support.EmailLoad;
import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway processes on one standalone Artemis broker split the load of a queue; one of them is
 * killed with SIGKILL mid-load and the other delivers everything that was accepted. A message the
 * broker redelivers after such a death keeps its notification id.
 */
class ScaleOutTest {

    static final int REQUESTS = 400;
    static final String KEY_A = TestSecrets.SENDGRID_API_KEY_INSTANCE_A;
    static final String KEY_B = TestSecrets.SENDGRID_API_KEY_INSTANCE_B;

    @RegisterExtension
    static final ArtemisServer broker = ArtemisServer.start();

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @TempDir
    Path workDir;

    @Test
    void twoInstancesShareTheQueueAndASigkilledOneLosesNothing() throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "m").withFixedDelay(25));
        int portA = TestGateway.freePort();
        int portB = TestGateway.freePort();
        try (GatewayProcess a = GatewayProcess.start(env(portA, "a", KEY_A), workDir);
                GatewayProcess b = GatewayProcess.start(env(portB, "b", KEY_B), workDir)) {
            a.awaitReady(portA);
            b.awaitReady(portB);

            List<String> accepted = EmailLoad.accept(portB, REQUESTS);
            // mid-load: most of the queue is still waiting
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveredBy(KEY_A) > 0 && sendgrid.deliveredIds().size() > 20);
            a.killHard();
            int deliveredWhenKilled = sendgrid.deliveredIds().size();

            await().atMost(Duration.ofSeconds(120)).until(() -> sendgrid.deliveredIds().containsAll(accepted));
            List<String> delivered = sendgrid.deliveredIds();
            long duplicates = delivered.size() - delivered.stream().distinct().count();
            System.out.printf("scale-out: %d accepted; instance a delivered %d before SIGKILL, b %d in all; "
                    + "%d delivered when a was killed; %d duplicates%n", accepted.size(), deliveredBy(KEY_A),
                    deliveredBy(KEY_B), deliveredWhenKilled, duplicates);
            assertThat(deliveredWhenKilled).as("killed mid-load").isLessThan(REQUESTS);
            assertThat(deliveredBy(KEY_A)).as("instance a took a share").isPositive();
            assertThat(deliveredBy(KEY_B)).as("instance b took a share").isPositive();
            assertThat(delivered).containsAll(accepted);
        }
    }

    @Test
    void aMessageWithoutAnIdKeepsTheSameIdWhenTheBrokerRedeliversItAfterACrash() throws Exception {
        // a SendGrid that does not answer in time: instance a holds the message in its transaction
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "m").withFixedDelay(60_000));
        int portA = TestGateway.freePort();
        int portB = TestGateway.freePort();
        try (GatewayProcess a = GatewayProcess.start(env(portA, "a", KEY_A), workDir)) {
            a.awaitReady(portA);
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url(), "admin", "admin");
            try (factory; Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                // as another service would send it: no NotificationId property
                session.createProducer(session.createQueue("integrations.email")).send(session.createTextMessage(
                        "{\"to\":\"ana@example.com\",\"subject\":\"redelivered\",\"content\":\"c\"}"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveredBy(KEY_A) == 1);
            a.killHard();
        }
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "m"));
        try (GatewayProcess b = GatewayProcess.start(env(portB, "b", KEY_B), workDir)) {
            b.awaitReady(portB);
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveredBy(KEY_B) == 1);
        }
        List<String> ids = sendgrid.deliveredIds();
        System.out.println("redelivered after SIGKILL: gateway ids " + ids);
        assertThat(ids).hasSize(2);
        assertThat(ids.get(1)).as("the id of the broker's redelivery").isEqualTo(ids.get(0)).isNotBlank();
    }

    private Map<String, String> env(int port, String name, String key) throws Exception {
        Map<String, String> env = GatewayProcess.environment(port, workDir.resolve(name));
        env.put("JMS__BROKER_URL", broker.url());
        env.put("JMS__USERNAME", "admin");
        env.put("JMS__PASSWORD", "admin");
        env.put("JMS__CONCURRENT_CONSUMERS", "2");
        env.putAll(sendgrid.gatewayEnvironment());
        // its own key, so that SendGrid's requests say which instance sent them
        env.put("EMAIL__SENDGRID__API_KEY", key);
        return env;
    }



    private static long deliveredBy(String key) {
        return sendgrid.requests().stream().filter(r -> ("Bearer " + key).equals(r.getHeader("Authorization"))).count();
    }
}
