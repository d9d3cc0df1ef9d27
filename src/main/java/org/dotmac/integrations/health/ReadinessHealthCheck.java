package org.dotmac.integrations.health;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check of what the instance needs to take requests (the broker, the data dir): it fails
 * readiness, never liveness, since a restart would not bring either back.
 */
abstract class ReadinessHealthCheck extends AbstractHealthCheck {

    ReadinessHealthCheck(String group, String id) {
        super(group, id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
