package org.dotmac.integrations.health;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a provider told us about our own configuration (rejected credentials, a disabled account):
 * the integration is in ERROR until a call through that provider succeeds again or, for refused
 * credentials, until the background re-check finds them accepted.
 */
public class ProviderAlerts {

    /** One provider's refusal; {@code recheck} is what the last background re-check found, if any. */
    public record Alert(String provider, String detail, boolean credentials, Instant raisedAt, String recheck) {

        String message() {
            return provider + ": " + detail + (recheck == null ? "" : "; background re-check: " + recheck);
        }
    }

    private final Map<String, Alert> alerts = new ConcurrentHashMap<>();

    public void raise(String integration, String provider, String detail, boolean credentials) {
        alerts.put(integration, new Alert(provider, detail, credentials, Instant.now(), null));
    }

    public void clear(String integration) {
        alerts.remove(integration);
    }

    /** Clears the alert only if it is still the one that was re-checked (a call may have raised a newer one). */
    boolean clear(String integration, Alert checked) {
        return alerts.remove(integration, checked);
    }

    /** Notes a re-check's finding on the alert, unless a newer alert replaced it meanwhile. */
    void noteRecheck(String integration, Alert checked, String finding) {
        alerts.replace(integration, checked, new Alert(checked.provider(), checked.detail(), checked.credentials(),
                checked.raisedAt(), finding));
    }

    public Optional<String> alert(String integration) {
        return Optional.ofNullable(alerts.get(integration)).map(Alert::message);
    }

    Map<String, Alert> all() {
        return Map.copyOf(alerts);
    }
}
