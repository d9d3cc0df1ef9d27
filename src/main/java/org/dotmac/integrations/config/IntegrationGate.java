package org.dotmac.integrations.config;

import org.dotmac.integrations.api.ProblemException;

/** Refuses requests for an integration that is switched off, naming the flag that switches it on. */
public class IntegrationGate {

    private final Settings settings;

    public IntegrationGate(Settings settings) {
        this.settings = settings;
    }

    public void requireEnabled(String id) {
        Integration integration = Integration.byId(id).orElseThrow();
        if (!settings.isEnabled(integration)) {
            throw new ProblemException(503, "Service Unavailable", "the " + id + " integration is disabled; it is enabled by "
                    + PlatformEnvironmentSource.environmentName(integration.flagKey()) + "=true ("
                    + integration.flagKey() + ")");
        }
    }
}
