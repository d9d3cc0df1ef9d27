package org.dotmac.integrations.api;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.dotmac.integrations.core.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys in force now: gateway.api-keys is read again at most once a second, so that keys
 * rotated in Vault take effect without a restart (within a second of the gateway reading Vault),
 * without a property lookup on every request; the digests are rebuilt only when the value changes.
 * A changed value that is not a sound key set (empty once keys were in force, an empty entry, a key
 * too short) is refused: the last sound set stays in force, so a bad refresh never opens the API.
 * Only digests are held, of the keys and of the value last seen.
 */
public final class ApiKeyRing {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyRing.class);

    /** A value that was refused, when and why (never the value). */
    public record Refusal(Instant at, String reason) {
    }

    private final Settings settings;
    private final Counter refused;
    private volatile byte[] seen;
    private volatile ApiKeys keys;
    private volatile Refusal refusal;
    private volatile long readAt;

    public ApiKeyRing(Settings settings, MeterRegistry meters) {
        this.settings = settings;
        this.refused = Counter.builder("gateway_api_keys_refused")
                .description("changed API key sets refused as unsound; the last sound set stayed in force")
                .register(meters);
    }

    public ApiKeys current() {
        long now = System.nanoTime();
        ApiKeys cached = keys;
        if (cached != null && now - readAt < 1_000_000_000L) {
            return cached;
        }
        readAt = now;
        return reload();
    }

    /** Reads gateway.api-keys now (after a Vault refresh, so that a refused value shows without traffic). */
    public ApiKeys reload() {
        ApiKeys cached = keys;
        String value = settings.get("gateway.api-keys").orElse("");
        byte[] digest = ApiKeys.digest(value);
        if (cached != null && MessageDigest.isEqual(digest, seen)) {
            return cached;
        }
        synchronized (this) {
            if (keys != null && MessageDigest.isEqual(digest, seen)) {
                return keys;
            }
            seen = digest;
            Optional<String> problem = value.isEmpty() && (keys == null || !keys.isConfigured())
                    ? Optional.empty() // no keys from the start: loopback only, as start-up decided
                    : ApiKeys.problem(value);
            if (problem.isEmpty()) {
                keys = new ApiKeys(value);
                refusal = null;
            } else {
                refusal = new Refusal(Instant.now(), problem.get());
                refused.increment();
                LOG.warn("Refused the changed API keys (gateway.api-keys): {}; the {} in force stay", problem.get(),
                        keys == null ? "no keys (every request is refused)" : keys.size() + " key(s)");
                if (keys == null) {
                    keys = ApiKeys.noneMatch();
                }
            }
            return keys;
        }
    }

    /** The last refused change, while no sound set has replaced it. */
    public Optional<Refusal> refusal() {
        current();
        return Optional.ofNullable(refusal);
    }
}
