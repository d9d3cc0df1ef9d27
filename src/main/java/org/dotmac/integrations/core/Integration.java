package org.dotmac.integrations.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The gateway's integrations and their feature flags; their providers are the modules of {@link Providers}. */
public enum Integration {

    EMAIL("email", "outbox"),
    SMS("sms", "outbox"),
    STORAGE("storage", "file"),
    SEARCH("search", "elasticsearch");

    private final String id;
    private final String defaultProvider;

    Integration(String id, String defaultProvider) {
        this.id = id;
        this.defaultProvider = defaultProvider;
    }

    public String id() {
        return id;
    }

    /** The flag that switches the whole integration on, e.g. {@code features.email-enabled}. */
    public String flagKey() {
        return "features." + id + "-enabled";
    }

    public String providerKey() {
        return id + ".provider";
    }

    /** Providers that take over, in order, while the provider is unavailable (email and SMS). */
    public String fallbackKey() {
        return id + ".fallback-providers";
    }

    /** Whether another provider may take over while the provider is unavailable. */
    public boolean hasFallbacks() {
        return this == EMAIL || this == SMS;
    }

    public String defaultProvider() {
        return defaultProvider;
    }

    /** The id of the route that calls a provider, e.g. {@code email-outbox}. */
    public String providerRouteId(String provider) {
        return id + "-" + provider;
    }

    public static Optional<Integration> byId(String id) {
        String wanted = id == null ? "" : id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(i -> i.id.equals(wanted)).findFirst();
    }
}
