package org.dotmac.integrations.health;

import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of the JMS broker that holds every accepted request; for an external broker also, until
 * it has held once, that the broker has the settings the gateway relies on.
 */
public class BrokerHealthCheck extends ReadinessHealthCheck {

    /** The settings a broker lacks, read over a connection; empty when it has them all. */
    @FunctionalInterface
    public interface Policy {
        List<String> problems(Connection connection) throws JMSException;
    }

    private final ConnectionFactory connectionFactory;
    private final Policy policy;
    private volatile boolean policyHeld;

    public BrokerHealthCheck(ConnectionFactory connectionFactory, Policy policy) {
        super("messaging", "jms-broker");
        this.connectionFactory = connectionFactory;
        this.policy = policy;
        this.policyHeld = policy == null;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            if (!policyHeld) {
                List<String> problems = policy.problems(connection);
                if (!problems.isEmpty()) {
                    builder.message("the broker lacks settings the gateway relies on: " + String.join("; ", problems));
                    builder.down();
                    return;
                }
                policyHeld = true;
            }
            builder.up();
        } catch (Exception e) {
            // the message of a JMS exception can hold the broker URL with its credentials
            builder.message("JMS broker unreachable: " + e.getClass().getSimpleName());
            builder.down();
        }
    }
}
