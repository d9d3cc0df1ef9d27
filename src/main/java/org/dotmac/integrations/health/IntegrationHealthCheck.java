package org.dotmac.integrations.health;

import org.dotmac.integrations.core.ReportedHealthCheck;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.dotmac.integrations.core.Integration;

/**
 * The state of one integration, in {@code /observe/health} with its details. Neither a liveness nor a
 * readiness check: a provider outage is no reason to restart the gateway, nor to take the instance out
 * of its Service, where it still accepts and queues requests for this integration and serves the others.
 */
public class IntegrationHealthCheck extends ReportedHealthCheck {

    private final Integration integration;
    private final IntegrationsReport report;
    private final java.util.function.Function<String, Long> lastProviderEvent;

    /** @param lastProviderEvent when a provider's last webhook arrived (epoch ms), or null */
    public IntegrationHealthCheck(Integration integration, IntegrationsReport report,
            java.util.function.Function<String, Long> lastProviderEvent) {
        super("integrations", "integration-" + integration.id());
        this.integration = integration;
        this.report = report;
        this.lastProviderEvent = lastProviderEvent;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        IntegrationStatus status = report.status(integration);
        builder.detail("status", status.status().name());
        builder.detail("provider", status.provider());
        builder.detail("message", status.message());
        Long lastEvent = status.provider() == null ? null : lastProviderEvent.apply(status.provider());
        if (lastEvent != null) {
            builder.detail("lastProviderEvent", java.time.Instant.ofEpochMilli(lastEvent).toString());
        }
        // the management endpoint shows details only with ?data=true: the message carries the essentials
        builder.message(status.status() + " (provider " + status.provider() + "): " + status.message());
        if (status.healthy()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
