package org.dotmac.integrations.messaging;

import java.util.Map;

import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jms.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jms.consumers-enabled=false: the instance accepts and queues, and leaves delivery to consuming
 * instances. Every HTTP worker can send at once, so it keeps a sending session for each.
 */
class AcceptOnlyInstanceTest {

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of("jms.consumers-enabled", "false",
            "gateway.http-worker-threads", "48"));

    @Test
    void acceptedRequestsWaitOnTheirQueue() throws Exception {
        var accepted = gateway.postJson("/api/v1/notifications/email", "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = TestGateway.json(accepted.body()).get("id").asText();

        // no consumer route exists to take it, and the message is still on its queue
        assertThat(gateway.gateway().context().getRoute("jms-email")).as("the email queue's consumer").isNull();
        assertThat(gateway.browseJmsProperties("integrations.email")).containsEntry("NotificationId", id);
        assertThat(gateway.outbox().get("messages")).isEmpty();
        assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void keepsASendingSessionOpenForEveryHttpWorker() {
        var sending = gateway.gateway().context().getRegistry()
                .lookupByNameAndType("jmsSendConnectionFactory", CachingConnectionFactory.class);

        // beyond its cache Spring opens and closes a session per send: with 32 the accept rate at 64
        // callers fell by a third (bench/README.md)
        assertThat(sending.getSessionCacheSize()).isEqualTo(48);
    }
}
