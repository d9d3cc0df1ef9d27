package org.dotmac.integrations.api;

import org.dotmac.integrations.config.Settings;

/**
 * The API keys in force now: gateway.api-keys is read again at most once a second, so that keys
 * rotated in Vault take effect without a restart (within a second of the gateway reading Vault),
 * without a property lookup on every request; the digests are rebuilt only when the value changes.
 */
public final class ApiKeyRing {

    private final Settings settings;
    private volatile String raw;
    private volatile ApiKeys keys;
    private volatile long readAt;

    public ApiKeyRing(Settings settings) {
        this.settings = settings;
    }

    public ApiKeys current() {
        long now = System.nanoTime();
        ApiKeys cached = keys;
        if (cached != null && now - readAt < 1_000_000_000L) {
            return cached;
        }
        readAt = now;
        String value = settings.get("gateway.api-keys").orElse("");
        ApiKeys answer = keys;
        if (answer == null || !value.equals(raw)) {
            answer = new ApiKeys(value);
            keys = answer;
            raw = value;
        }
        return answer;
    }
}
