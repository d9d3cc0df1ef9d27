package org.dotmac.integrations.messaging;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.dotmac.integrations.core.ConfigurationProblemsException;
import org.dotmac.integrations.support.ArtemisServer;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * An external broker gets the gateway's policy: the standalone Artemis started with the shipped
 * docker/artemis/broker.xml (authentication on) is accepted and serves, with the broker naming each
 * message's user; a broker with Artemis' defaults is refused at start-up, each missing setting named,
 * and one that is away at start-up keeps readiness DOWN until it answers with the settings.
 */
class BrokerPolicyTest {

    @RegisterExtension
    static final ArtemisServer shipped = ArtemisServer.start();

    @Test
    void theShippedBrokerConfigurationIsAcceptedAndNeedsALogin() throws Exception {
        try (TestGateway gateway = TestGateway.perClass(Map.of("jms.broker-url", shipped.url(),
                "jms.username", ArtemisServer.USER, "jms.password", ArtemisServer.PASSWORD)).startNow()) {
            var response = gateway.postJson("/api/v1/notifications/sms", "{\"to\":\"+14155550100\",\"message\":\"policy\"}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.outbox().get("count").asInt() == 1);
        }
        try (TestGateway anonymous = TestGateway.startAlive(Map.of("jms.broker-url", shipped.url()))) {
            assertThat(anonymous.get("/observe/health/ready").statusCode()).as("no login, not ready").isEqualTo(503);
            assertThat(brokerCheck(anonymous).path("message").asText()).contains("JMSSecurityException");
        }
    }

    @Test
    void theBrokerNamesEachSenderSoTheirIdempotencyKeysAreTheirOwn() throws Exception {
        try (TestGateway gateway = TestGateway.perClass(Map.of("jms.broker-url", shipped.url(),
                "jms.username", ArtemisServer.USER, "jms.password", ArtemisServer.PASSWORD,
                "jms.trust-validated-user", "true")).startNow()) {
            String sms = "{\"to\":\"+14155550100\",\"message\":\"validated user\"}";
            JsonNode alice = request(ArtemisServer.SENDER_A, TestSecrets.JMS_PASSWORD_ALICE, sms, Map.of("IdempotencyKey", "same-1"));
            JsonNode bob = request(ArtemisServer.SENDER_B, TestSecrets.JMS_PASSWORD_BOB, sms, Map.of("IdempotencyKey", "same-1"));
            JsonNode aliceAgain = request(ArtemisServer.SENDER_A, TestSecrets.JMS_PASSWORD_ALICE, sms, Map.of("IdempotencyKey", "same-1"));
            assertThat(bob.get("id").asText()).isNotEqualTo(alice.get("id").asText());
            assertThat(aliceAgain).as("alice's repeat gets alice's first answer").isEqualTo(alice);
            // a sender naming another user, or the caller the gateway names on its own copies, is still itself
            JsonNode spoofed = request(ArtemisServer.SENDER_A, TestSecrets.JMS_PASSWORD_ALICE, sms, Map.of("IdempotencyKey", "same-1",
                    "JMSXUserID", ArtemisServer.SENDER_B, "GatewayCaller", "jms-user:" + ArtemisServer.SENDER_B));
            assertThat(spoofed).isEqualTo(alice);
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.outbox().get("count").asInt() == 2);
        }
    }

    private JsonNode request(String user, String password, String body, Map<String, String> properties) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(shipped.url(), user, password)) {
            return TestGateway.json(TestGateway.requestJms(factory, "integrations.sms", body, properties));
        }
    }

    @Test
    void aBrokerWithArtemisDefaultsIsRefusedNamingEachMissingSetting() throws Exception {
        int port = TestGateway.freePort();
        EmbeddedActiveMQ defaults = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setName("defaults")
                .setPersistenceEnabled(false).setSecurityEnabled(false).setPersistIDCache(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port)
                .addAddressSetting("#", new AddressSettings().setDeadLetterAddress(SimpleString.of("DLQ"))));
        defaults.start();
        try {
            Throwable refused = catchThrowable(() -> TestGateway.perClass(Map.of("jms.broker-url", "tcp://127.0.0.1:" + port))
                    .startNow().close());
            ConfigurationProblemsException problems = findProblems(refused);
            assertThat(problems).as(String.valueOf(refused)).isNotNull();
            assertThat(problems.problems()).allMatch(p -> p.startsWith("jms.broker-url (JMS__BROKER_URL): the broker lacks"))
                    .anyMatch(p -> p.contains("persist-id-cache is false"))
                    .anyMatch(p -> p.contains("integrations.email: dead-letter-address is 'DLQ'; it must be 'integrations.dlq'"))
                    .anyMatch(p -> p.contains("integrations.sms: redelivery-delay is 0"))
                    .anyMatch(p -> p.contains("integrations.notifications: auto-delete-queues is true"))
                    .anyMatch(p -> p.contains("integrations.search: auto-delete-addresses is true"));
        } finally {
            defaults.stop();
        }
    }

    @Test
    void aBrokerAwayAtStartUpIsCheckedByReadinessOnceItAnswers() throws Exception {
        int port = TestGateway.freePort();
        try (TestGateway gateway = TestGateway.startAlive(Map.of("jms.broker-url", "tcp://127.0.0.1:" + port))) {
            assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(503);
            EmbeddedActiveMQ lacking = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setName("late")
                    .setPersistenceEnabled(false).setSecurityEnabled(false)
                    .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port));
            lacking.start();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> brokerCheck(gateway).path("message").asText()
                        .contains("the broker lacks settings the gateway relies on"));
                assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(503);
            } finally {
                lacking.stop();
            }
        }
    }

    private static JsonNode brokerCheck(TestGateway gateway) throws Exception {
        return TestGateway.healthCheck(TestGateway.json(gateway.get("/observe/health?data=true").body()), "jms-broker");
    }

    private static ConfigurationProblemsException findProblems(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationProblemsException problems) {
                return problems;
            }
        }
        return null;
    }
}
