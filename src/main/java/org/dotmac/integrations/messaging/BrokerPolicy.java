package org.dotmac.integrations.messaging;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/**
 * What the gateway relies on from an external Artemis broker, read through its management address:
 * for each of the gateway's queues a dead-letter address that is the queue the dead-letter API reads,
 * bounded redelivery with a delay, no auto-delete; and a duplicate-id cache that survives restarts.
 * The embedded broker is configured so; {@code docker/artemis/broker.xml} is the same for an external one.
 */
public final class BrokerPolicy {

    /** The queues the gateway consumes. */
    public static final List<String> GATEWAY_QUEUES = List.of("integrations.email", "integrations.sms",
            "integrations.notifications", "integrations.search");

    private static final String MANAGEMENT = "activemq.management";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BrokerPolicy() {
    }

    /**
     * Every setting the broker lacks, each naming the Artemis setting and what it is for; empty when it
     * has them all. A broker that does not let the gateway read its settings is a problem too.
     */
    public static List<String> problems(Connection connection, List<String> queues, String deadLetterQueue) throws JMSException {
        List<String> problems = new ArrayList<>();
        QueueSession session = ((QueueConnection) connection).createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            connection.start();
            QueueRequestor requestor = new QueueRequestor(session, session.createQueue(MANAGEMENT));
            Object persistIdCache = attribute(session, requestor, "persistIDCache");
            if (persistIdCache == null) {
                problems.add("the broker does not let the gateway read its settings (the gateway's user needs the manage"
                        + " permission on " + MANAGEMENT + "), or set jms.check-broker-policy=false");
                return problems;
            }
            if (!Boolean.parseBoolean(String.valueOf(persistIdCache))) {
                problems.add("persist-id-cache is false: the duplicate-id cache, the second line behind queued"
                        + " Idempotency-Keys, would be forgotten at every broker restart");
            }
            for (String queue : queues) {
                JsonNode settings = addressSettings(session, requestor, queue);
                if (settings == null) {
                    problems.add(queue + ": its address settings cannot be read");
                    continue;
                }
                String dla = settings.path("deadLetterAddress").asText("");
                if (!dla.equals(deadLetterQueue)) {
                    problems.add(queue + ": dead-letter-address is " + (dla.isEmpty() ? "not set" : "'" + dla + "'")
                            + "; it must be '" + deadLetterQueue + "' (jms.dead-letter-queue), which the dead-letter API"
                            + " reads: a message past max-delivery-attempts would otherwise be dropped or hidden");
                }
                long attempts = settings.path("maxDeliveryAttempts").asLong(10);
                if (attempts < 2) {
                    problems.add(queue + ": max-delivery-attempts is " + attempts + "; it must be at least 2 and bounded"
                            + (attempts < 0 ? " (-1 redelivers a message that kills its consumer for ever)" : ""));
                }
                if (settings.path("redeliveryDelay").asLong(0) <= 0) {
                    problems.add(queue + ": redelivery-delay is 0; set it (e.g. 1000): a message that fails its"
                            + " consumer would be redelivered in a tight loop");
                }
                for (String autoDelete : List.of("autoDeleteQueues", "autoDeleteAddresses")) {
                    // unset means Artemis' default, true
                    if (settings.path(autoDelete).asBoolean(true)) {
                        problems.add(queue + ": " + autoDelete.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT)
                                + " is true; it must be false: an idle queue would be reaped with its duplicate-id cache");
                    }
                }
            }
            return problems;
        } finally {
            session.close();
        }
    }

    private static Object attribute(QueueSession session, QueueRequestor requestor, String name) throws JMSException {
        Message request = session.createMessage();
        JMSManagementHelper.putAttribute(request, ResourceNames.BROKER, name);
        Message reply = requestor.request(request);
        try {
            return reply != null && JMSManagementHelper.hasOperationSucceeded(reply) ? JMSManagementHelper.getResult(reply) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static JsonNode addressSettings(QueueSession session, QueueRequestor requestor, String address) throws JMSException {
        Message request = session.createMessage();
        JMSManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, "getAddressSettingsAsJSON", address);
        Message reply = requestor.request(request);
        try {
            if (reply == null || !JMSManagementHelper.hasOperationSucceeded(reply)) {
                return null;
            }
            return JSON.readTree(String.valueOf(JMSManagementHelper.getResult(reply)));
        } catch (Exception e) {
            return null;
        }
    }
}
