package org.dotmac.integrations.health;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a provider told us about our own configuration (rejected credentials, a disabled account):
 * the integration is in ERROR until a call through that provider succeeds again.
 */
public class ProviderAlerts {

    private final Map<String, String> alerts = new ConcurrentHashMap<>();

    public void raise(String integration, String message) {
        alerts.put(integration, message);
    }

    public void clear(String integration) {
        alerts.remove(integration);
    }

    public Optional<String> alert(String integration) {
        return Optional.ofNullable(alerts.get(integration));
    }
}
