package org.dotmac.integrations.core;

import java.util.List;

/**
 * A provider of one integration, in one place: what it is called, which platform flags allow it, its
 * settings (and through them its Vault paths), its start-up checks beyond single settings, and how it
 * binds the beans its route file ({@code routes/<integration>-<name>.camel.yaml}, route id and
 * endpoint {@code direct:<integration>-<name>}) uses. Found with {@link java.util.ServiceLoader}:
 * a module is listed in {@code META-INF/services/org.dotmac.integrations.core.ProviderModule}.
 */
public interface ProviderModule {

    Integration integration();

    String name();

    /** The platform's flags of which at least one must be on for it to be chosen (none: always). */
    default List<String> platformFlags() {
        return List.of();
    }

    List<Setting> settings();

    /** Its settings and, for a remote provider, its outbound limits ({@link OutboundLimits}). */
    default List<Setting> allSettings() {
        if (!remote()) {
            return settings();
        }
        List<Setting> all = new java.util.ArrayList<>(settings());
        all.addAll(OutboundLimits.settings(this));
        return List.copyOf(all);
    }

    /** Checks that span several settings (one of two must be set, two that go together). */
    default void check(Settings settings, ProblemReport report) {
    }

    /** Calls a remote service: it gets a circuit breaker ({@code breaker-<route id>}). */
    default boolean remote() {
        return true;
    }

    /** The setting that bounds how long one call may take, in milliseconds, or null. */
    default String callTimeoutKey() {
        return null;
    }

    /** Binds its beans; called only while it is in use (the provider, or a fallback, of an enabled integration). */
    void bind(ProviderBinding binding) throws Exception;

    /** Where the provider chain calls it. */
    default String endpoint() {
        return "direct:" + routeId();
    }

    default String routeId() {
        return integration().id() + "-" + name();
    }
}
