package org.dotmac.integrations.health;

/** One integration as the platform's monitoring reads it. */
public record IntegrationStatus(String name, boolean enabled, String provider, State status, String message) {

    public enum State {
        READY, ERROR, DISABLED
    }

    /** DISABLED counts as healthy: it is what the operator asked for. */
    public boolean healthy() {
        return status != State.ERROR;
    }
}
