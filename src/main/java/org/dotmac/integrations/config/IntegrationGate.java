package org.dotmac.integrations.config;

import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.PlatformEnvironmentSource;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.core.ProblemException;

/** Refuses requests for an integration that is switched off, naming the flag that switches it on. */
public class IntegrationGate {

    private final java.util.Set<Integration> enabled = java.util.EnumSet.noneOf(Integration.class);

    /** The flags are read once: they do not change while the gateway runs (a restart applies a change). */
    public IntegrationGate(Settings settings) {
        for (Integration integration : Integration.values()) {
            if (settings.isEnabled(integration)) {
                enabled.add(integration);
            }
        }
    }

    public void requireEnabled(String id) {
        Integration integration = Integration.byId(id).orElseThrow();
        if (!enabled.contains(integration)) {
            throw new ProblemException(503, "Service Unavailable", "the " + id + " integration is disabled; it is enabled by "
                    + PlatformEnvironmentSource.environmentName(integration.flagKey()) + "=true ("
                    + integration.flagKey() + ")");
        }
    }
}
