package org.dotmac.integrations.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The gateway's integrations, their feature flags and the providers each can use.
 * A provider that is not built yet is listed so that its name gives a clear start-up error
 * instead of "unknown provider".
 */
public enum Integration {

    EMAIL("email", "outbox",
            Provider.ready("outbox"),
            Provider.ready("sendgrid"),
            Provider.ready("smtp")),
    SMS("sms", "outbox",
            Provider.ready("outbox"),
            Provider.ready("twilio")),
    STORAGE("storage", "file",
            Provider.ready("file"),
            Provider.ready("s3", "features.storage-s3-enabled", "features.storage-minio-enabled")),
    SEARCH("search", "elasticsearch",
            Provider.ready("elasticsearch", "features.search-elasticsearch-enabled"),
            Provider.ready("opensearch"),
            Provider.ready("meilisearch", "features.search-meilisearch-enabled"));

    private final String id;
    private final String defaultProvider;
    private final List<Provider> providers;

    Integration(String id, String defaultProvider, Provider... providers) {
        this.id = id;
        this.defaultProvider = defaultProvider;
        this.providers = List.of(providers);
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

    public String defaultProvider() {
        return defaultProvider;
    }

    public List<Provider> providers() {
        return providers;
    }

    public Optional<Provider> provider(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The id of the route that calls a provider, e.g. {@code email-outbox}. */
    public String providerRouteId(String provider) {
        return id + "-" + provider;
    }

    public static Optional<Integration> byId(String id) {
        String wanted = id == null ? "" : id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(i -> i.id.equals(wanted)).findFirst();
    }

    /**
     * A provider of an integration.
     *
     * @param available     built into this version of the gateway
     * @param platformFlags the platform's flags of which at least one must be on for it to be selected
     *                      (none: always selectable)
     */
    public record Provider(String name, boolean available, List<String> platformFlags) {

        static Provider ready(String name, String... platformFlags) {
            return new Provider(name, true, List.of(platformFlags));
        }

        static Provider planned(String name, String... platformFlags) {
            return new Provider(name, false, List.of(platformFlags));
        }
    }
}
