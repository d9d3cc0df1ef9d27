package org.dotmac.integrations.config;

import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.PlatformEnvironmentSource;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Providers;
import org.dotmac.integrations.core.RouteFileProviders;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.dotmac.integrations.api.ApiKeys;
import org.dotmac.integrations.email.EmailRules;
import org.dotmac.integrations.notification.TextRules;

/**
 * Checks the whole configuration before anything starts and reports every problem at once,
 * each naming the property, its environment variable and what is allowed. Values of secrets
 * are never repeated.
 */
public final class StartupValidator {

    /** The integrations' flags and the platform's flags of every provider module. */
    static List<String> flags() {
        return Stream.concat(Arrays.stream(Integration.values()).map(Integration::flagKey),
                Providers.all().stream().flatMap(module -> module.platformFlags().stream())).distinct().toList();
    }

    private final Settings settings;
    private final List<String> problems = new ArrayList<>();

    private StartupValidator(Settings settings) {
        this.settings = settings;
    }

    /** Every problem found, empty when the configuration is usable. */
    public static List<String> problems(Settings settings) {
        StartupValidator validator = new StartupValidator(settings);
        validator.checkAll();
        return List.copyOf(validator.problems);
    }

    private void checkAll() {
        flags().forEach(this::checkBoolean);
        RouteFileProviders.of(settings).problems().forEach(problem -> report(RouteFileProviders.DIRECTORY_KEY, problem));
        for (Integration integration : Integration.values()) {
            if (settings.isEnabled(integration)) {
                checkProvider(integration);
                if (integration.hasFallbacks()) {
                    checkFallbacks(integration);
                }
            }
        }
        if (settings.isEnabled(Integration.EMAIL)) {
            checkEmailSender();
        }
        Providers.inUse(settings).forEach(this::checkModule);
        checkPort("camel.server.port", true);
        checkPort("jms.embedded.port", false);
        checkRange("notification.outbox.capacity", 1, 1_000_000);
        String profile = settings.get("gateway.profile", "production");
        if (!profile.equals("production") && !profile.equals("development")) {
            report("gateway.profile", "must be production or development, not '" + profile.replaceAll("[^\\w-]", "?") + "'");
        }
        checkRange("jms.max-redeliveries", 0, 100);
        checkRange("jms.max-delivery-attempts", 1, 1000);
        checkRange("jms.concurrent-consumers", 1, 500);
        checkRange("jms.session-cache-size", 1, 10_000);
        checkRange("gateway.http-worker-threads", 1, 10_000);
        checkRange("jms.redelivery-delay", 0, 3_600_000);
        checkRange("jms.max-redelivery-delay", 0, 3_600_000);
        checkRange("jms.park-delay", 1, 3_600_000);
        checkRange("jms.park-max-delay", 1, 86_400_000);
        checkRange("jms.park-limit", 0, 10_000);
        checkRange("jms.duplicate-id-cache-size", 1, 10_000_000);
        checkRange("jms.embedded.journal-buffer-timeout", 0, 1_000_000);
        checkLongRange("jms.embedded.global-max-size", -1, 1L << 40);
        checkLongRange("camel.server.max-body-size", 1024, 1L << 31);
        checkLongRange("gateway.buffered-body-limit", 1L << 20, 1L << 40);
        checkLongRange("idempotency.jdbc-connect-timeout", 250, 60_000);
        checkLongRange("gateway.data-dir.min-free", 0, 1L << 50);
        checkDuration("integrations.credential-recheck-interval");
        checkBoolean("jms.trust-validated-user");
        checkBoolean("notification.events-topics");
        checkBoolean("jms.check-broker-policy");
        checkLease();
        checkBrokerUrl();
        checkDuration("jms.park-max-age");
        checkDuration("idempotency.window");
        checkDuration("search.write-order-window");
        checkDuration("notification.retention");
        settings.get("gateway.public-url").filter(url -> !url.matches("^https?://[^/\\s]+(/\\S*)?$"))
                .ifPresent(url -> report("gateway.public-url", "is not an http(s) URL such as https://gateway.example.com"));
        checkDuration("notification.purge-interval");
        checkRange("idempotency.jdbc-pool-size", 1, 200);
        settings.get("idempotency.jdbc-url").filter(url -> !url.startsWith("jdbc:"))
                .ifPresent(url -> report("idempotency.jdbc-url", "is not a JDBC URL such as jdbc:postgresql://db:5432/gateway"));
        settings.get("vault.refresh-interval").ifPresent(value -> {
            try {
                if (org.apache.camel.util.TimeUtils.toMilliSeconds(value) < 100) {
                    report("vault.refresh-interval", "'" + value + "' is too short; at least 100ms");
                }
            } catch (RuntimeException e) {
                report("vault.refresh-interval", "'" + value + "' is not a duration such as 30s, 5m or 1h");
            }
        });
        checkPortFree("camel.server.port", settings.get("camel.server.host", "0.0.0.0"), 8080);
        if (settings.get("jms.broker-url").isEmpty()) {
            checkPortFree("jms.embedded.port", settings.get("jms.embedded.host", "127.0.0.1"), 61616);
        }
        checkApiKeys();
    }

    private void checkBoolean(String key) {
        settings.get(key).ifPresent(value -> {
            String v = value.toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                report(key, "'" + value + "' is not a flag; allowed: true, false");
            }
        });
    }

    private void checkProvider(Integration integration) {
        String name = settings.provider(integration);
        var provider = Providers.find(settings, integration, name);
        if (provider.isEmpty()) {
            report(integration.providerKey(), "'" + name + "' is not a provider of " + integration.id()
                    + "; allowed: " + names(integration));
            return;
        }
        List<String> platformFlags = provider.get().platformFlags();
        if (!platformFlags.isEmpty() && platformFlags.stream().noneMatch(settings::isOn)) {
            report(integration.providerKey(), "provider '" + name + "' is switched off by the platform; set "
                    + platformFlags.stream().map(f -> PlatformEnvironmentSource.environmentName(f) + "=true")
                            .collect(Collectors.joining(" or "))
                    + ", or choose another provider");
        }
    }

    private String names(Integration integration) {
        return Providers.of(settings, integration).stream().map(ProviderModule::name).collect(Collectors.joining(", "));
    }

    /** Fallback providers: known, allowed by the platform, none twice, written without spaces. */
    private void checkFallbacks(Integration integration) {
        String key = integration.fallbackKey();
        var list = settings.get(key);
        if (list.isEmpty()) {
            return;
        }
        List<String> seen = new ArrayList<>(List.of(settings.provider(integration)));
        for (String name : list.get().split(",")) {
            var provider = Providers.find(settings, integration, name);
            if (provider.isEmpty()) {
                report(key, "'" + name + "' is not a provider of " + integration.id() + "; allowed: " + names(integration)
                        + ", comma-separated without spaces");
            } else if (seen.contains(name)) {
                report(key, "'" + name + "' is named twice (or is the provider itself)");
            } else if (name.equals("outbox") && !settings.get("gateway.profile", "production").equals("development")) {
                // during an outage every request would be answered and kept in memory, and none delivered
                report(key, "the outbox delivers nothing and keeps messages in memory only: as a fallback it is"
                        + " allowed with gateway.profile=development (GATEWAY__PROFILE) only; use smtp (or another"
                        + " provider) in production");
            } else if (!provider.get().platformFlags().isEmpty()
                    && provider.get().platformFlags().stream().noneMatch(settings::isOn)) {
                report(key, "provider '" + name + "' is switched off by the platform");
            }
            seen.add(name);
        }
    }

    /** A module's settings as its descriptors say, then its own checks across them. */
    private void checkModule(ProviderModule module) {
        for (Setting setting : module.allSettings()) {
            var value = settings.get(setting.key());
            if (value.isPresent()) {
                setting.check().apply(value.get()).ifPresent(problem -> report(setting.key(), problem));
            } else if (setting.requirement().when().test(settings)) {
                String words = setting.requirement().words();
                report(setting.key(), "required while " + module.integration().id() + " uses " + module.name()
                        + (words.isEmpty() ? "" : " " + words) + ": " + setting.meaning());
            }
        }
        module.check(settings, this::report);
    }

    private void checkEmailSender() {
        var from = settings.get("email.from-address");
        if (from.isEmpty()) {
            report("email.from-address", "required while email is enabled: the sender address, e.g. noreply@example.com");
        } else if (!EmailRules.isEmail(from.get())) {
            report("email.from-address", "'" + from.get() + "' is not an email address (RFC 5322)");
        }
        settings.get("email.from-name").filter(TextRules::hasLineBreak)
                .ifPresent(v -> report("email.from-name", "must not contain line breaks"));
    }

    private void checkPort(String key, boolean zeroAllowed) {
        checkRange(key, zeroAllowed ? 0 : 1, 65535);
    }

    private void checkDuration(String key) {
        settings.get(key).ifPresent(value -> {
            try {
                if (org.apache.camel.util.TimeUtils.toMilliSeconds(value) < 1) {
                    report(key, "'" + value + "' is too short");
                }
            } catch (RuntimeException e) {
                report(key, "'" + value + "' is not a duration such as 30m, 1h or 1d");
            }
        });
    }

    private void checkRange(String key, int min, int max) {
        checkLongRange(key, min, max);
    }

    private void checkLongRange(String key, long min, long max) {
        settings.get(key).ifPresent(value -> {
            try {
                long n = Long.parseLong(value);
                if (n < min || n > max) {
                    report(key, "'" + value + "' is out of range; allowed: " + min + " to " + max);
                }
            } catch (NumberFormatException e) {
                report(key, "'" + value + "' is not a whole number; allowed: " + min + " to " + max);
            }
        });
    }

    /** Neither Vert.x nor Artemis fails its start on a taken port: they log it and carry on. */
    private void checkPortFree(String key, String host, int defaultPort) {
        int port;
        try {
            port = settings.getInt(key, defaultPort);
        } catch (NumberFormatException e) {
            return;
        }
        if (port <= 0 || port > 65535) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            report(key, "port " + port + " on " + host + " is already in use; stop what holds it or choose another port");
        }
    }

    private void checkBrokerUrl() {
        settings.get("jms.broker-url").ifPresent(url -> {
            if (!url.matches("^(\\(?)(tcp|ssl|vm|udp|jgroups)://.+")) {
                // the URL may hold a password: never repeat it
                report("jms.broker-url", "is not an Artemis connection URL; expected tcp://host:port, ssl://host:port or vm://0");
            }
        });
    }

    private void checkApiKeys() {
        settings.get("gateway.api-keys").ifPresent(keys -> ApiKeys.problem(keys)
                .ifPresent(problem -> report("gateway.api-keys", problem)));
    }

    /** A lease shorter than a provider call would let a second attempt send while the first still waits. */
    private void checkLease() {
        long lease;
        try {
            lease = org.apache.camel.util.TimeUtils.toMilliSeconds(settings.get("idempotency.lease", "2m"));
        } catch (RuntimeException e) {
            report("idempotency.lease", "is not a duration such as 2m or 90s");
            return;
        }
        // keys are claimed for notifications: only their providers in use (a chain's fallbacks too) matter
        for (ProviderModule module : Providers.inUse(settings)) {
            String timeout = module.callTimeoutKey();
            if (timeout == null || !module.integration().hasFallbacks()) {
                continue;
            }
            String fallback = module.settings().stream().filter(s -> s.key().equals(timeout)).findFirst()
                    .map(Setting::defaultValue).orElse("0");
            long value;
            try {
                value = Long.parseLong(settings.get(timeout, fallback));
            } catch (NumberFormatException e) {
                continue; // reported by its own check
            }
            if (lease <= value) {
                report("idempotency.lease", "must be longer than " + timeout + " (" + value + " ms): a claim would run out"
                        + " while its provider call may still succeed");
                return;
            }
        }
    }

    private void report(String key, String problem) {
        // Camel's own keys are set with Camel's spelling (CAMEL_SERVER_PORT); the gateway's with the platform's
        String variable = key.startsWith("camel.") ? PlatformEnvironmentSource.camelEnvironmentName(key)
                : PlatformEnvironmentSource.environmentName(key);
        problems.add(key + " (" + variable + "): " + problem);
    }
}
