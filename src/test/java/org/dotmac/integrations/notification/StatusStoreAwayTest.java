package org.dotmac.integrations.notification;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** No 202 names a notification whose status record was not stored: a database that is away refuses the request. */
class StatusStoreAwayTest {

    @Test
    void aQueuedRequestIsRefusedAndNotQueuedWhileTheStatusStoreIsAway() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.start();
        try (TestGateway gateway = TestGateway.perClass(Map.of(
                "idempotency.jdbc-url", postgres.getJdbcUrl("postgres", "postgres"),
                "idempotency.jdbc-username", "postgres",
                "idempotency.jdbc-connect-timeout", "1000",
                // accept only: what was queued stays on the queue to be read
                "jms.consumers-enabled", "false")).startNow()) {
            HttpResponse<String> before = gateway.postJson("/api/v1/notifications/email",
                    "{\"to\":\"ana@example.com\",\"subject\":\"stored first\",\"content\":\"c\"}");
            assertThat(before.statusCode()).as(before.body()).isEqualTo(202);
            String id = TestGateway.json(before.body()).get("id").asText();
            assertThat(TestGateway.json(gateway.get("/api/v1/notifications/" + id).body()).get("status").asText())
                    .isEqualTo("queued");

            postgres.close();
            HttpResponse<String> away = gateway.postJson("/api/v1/notifications/email",
                    "{\"to\":\"ana@example.com\",\"subject\":\"not stored\",\"content\":\"c\"}");

            assertThat(away.statusCode()).as(away.body()).isEqualTo(503);
            assertThat(away.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(away.body()).contains("status store").doesNotContain("postgres:");
            // the witness: a marker sent after the refusal is on the queue, the refused request is not
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + gateway.brokerPort());
            try (factory; Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("integrations.email")).send(session.createTextMessage("marker"));
                connection.start();
                List<String> bodies = new ArrayList<>();
                for (Object m : Collections.list(session.createBrowser(session.createQueue("integrations.email")).getEnumeration())) {
                    Message message = (Message) m;
                    bodies.add(message instanceof BytesMessage bytes ? new String(bytes.getBody(byte[].class), java.nio.charset.StandardCharsets.UTF_8)
                            : ((TextMessage) message).getText());
                }
                assertThat(bodies).hasSize(2);
                assertThat(bodies.get(0)).contains("stored first");
                assertThat(bodies.get(1)).isEqualTo("marker");
            }
        } finally {
            postgres.close();
        }
    }
}
