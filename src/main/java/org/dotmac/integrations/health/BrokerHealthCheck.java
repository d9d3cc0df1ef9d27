package org.dotmac.integrations.health;

import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;

import org.apache.camel.health.HealthCheckResultBuilder;

/** Readiness of the JMS broker that holds every accepted request. */
public class BrokerHealthCheck extends ReadinessHealthCheck {

    private final ConnectionFactory connectionFactory;

    public BrokerHealthCheck(ConnectionFactory connectionFactory) {
        super("messaging", "jms-broker");
        this.connectionFactory = connectionFactory;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            builder.up();
        } catch (Exception e) {
            // the message of a JMS exception can hold the broker URL with its credentials
            builder.message("JMS broker unreachable: " + e.getClass().getSimpleName());
            builder.down();
        }
    }
}
