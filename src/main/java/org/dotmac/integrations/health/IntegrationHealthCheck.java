package org.dotmac.integrations.health;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.dotmac.integrations.config.Integration;

/**
 * Readiness of one integration. Never a liveness check: a provider outage is no reason to
 * restart the gateway.
 */
public class IntegrationHealthCheck extends AbstractHealthCheck {

    private final Integration integration;
    private final IntegrationsReport report;

    public IntegrationHealthCheck(Integration integration, IntegrationsReport report) {
        super("integrations", "integration-" + integration.id());
        this.integration = integration;
        this.report = report;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        IntegrationStatus status = report.status(integration);
        builder.detail("status", status.status().name());
        builder.detail("provider", status.provider());
        builder.detail("message", status.message());
        // the management endpoint shows details only with ?data=true: the message carries the essentials
        builder.message(status.status() + " (provider " + status.provider() + "): " + status.message());
        if (status.healthy()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
