package org.dotmac.integrations.api;

import org.dotmac.integrations.core.ReportedHealthCheck;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Whether the last change of the API keys was refused (the last sound set stays in force). Reported in
 * {@code /observe/health}, not a readiness check: the instance still authenticates as before.
 */
public class ApiKeysHealthCheck extends ReportedHealthCheck {

    private final ApiKeyRing ring;

    public ApiKeysHealthCheck(ApiKeyRing ring) {
        super("security", "api-keys");
        this.ring = ring;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        var refusal = ring.refusal();
        builder.detail("keys", ring.current().size());
        if (refusal.isPresent()) {
            builder.detail("refusedAt", refusal.get().at().toString());
            builder.detail("reason", refusal.get().reason());
            builder.message("a changed key set was refused at " + refusal.get().at() + ": " + refusal.get().reason()
                    + "; the last sound set stays in force");
            builder.down();
        } else {
            builder.up();
        }
    }
}
