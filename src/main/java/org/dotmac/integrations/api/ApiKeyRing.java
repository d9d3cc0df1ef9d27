package org.dotmac.integrations.api;

import org.dotmac.integrations.config.Settings;

/**
 * The API keys in force now: read from gateway.api-keys on every check, so that keys rotated in
 * Vault take effect without a restart; the digests are rebuilt only when the value changes.
 */
public final class ApiKeyRing {

    private final Settings settings;
    private volatile String raw;
    private volatile ApiKeys keys;

    public ApiKeyRing(Settings settings) {
        this.settings = settings;
    }

    public ApiKeys current() {
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
