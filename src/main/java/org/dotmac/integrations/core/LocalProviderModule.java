package org.dotmac.integrations.core;

import java.util.List;

/**
 * A provider that runs inside the gateway (the outbox, files): no settings of its own, no remote call,
 * so no breaker and no outbound limit.
 */
public abstract class LocalProviderModule implements ProviderModule {

    private final Integration integration;
    private final String name;

    protected LocalProviderModule(Integration integration, String name) {
        this.integration = integration;
        this.name = name;
    }

    @Override
    public final Integration integration() {
        return integration;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Setting> settings() {
        return List.of();
    }

    @Override
    public final boolean remote() {
        return false;
    }
}
