package org.dotmac.integrations.core;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check that is reported in {@code /observe/health} but is neither a liveness nor a readiness check:
 * what it watches (a provider, the API key refresh) is no reason to restart the instance or to take it
 * out of its Service.
 */
public abstract class ReportedHealthCheck extends AbstractHealthCheck {

    protected ReportedHealthCheck(String group, String id) {
        super(group, id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }

    @Override
    public final boolean isReadiness() {
        return false;
    }
}
