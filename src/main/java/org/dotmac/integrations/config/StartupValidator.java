package org.dotmac.integrations.config;

import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.PlatformEnvironmentSource;
import org.dotmac.integrations.core.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.dotmac.integrations.api.ApiKeys;
import org.dotmac.integrations.notification.Addresses;
import org.dotmac.integrations.notification.ProviderChain;

/**
 * Checks the whole configuration before anything starts and reports every problem at once,
 * each naming the property, its environment variable and what is allowed. Values of secrets
 * are never repeated.
 */
public final class StartupValidator {

    static final List<String> FLAGS = List.of(
            "features.email-enabled", "features.sms-enabled", "features.storage-enabled",
            "features.search-enabled", "features.storage-s3-enabled", "features.storage-minio-enabled",
            "features.search-elasticsearch-enabled", "features.search-meilisearch-enabled");

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
        FLAGS.forEach(this::checkBoolean);
        for (Integration integration : Integration.values()) {
            if (settings.isEnabled(integration)) {
                checkProvider(integration);
            }
        }
        for (Integration integration : List.of(Integration.EMAIL, Integration.SMS)) {
            if (settings.isEnabled(integration)) {
                checkFallbacks(integration);
            }
        }
        if (settings.isEnabled(Integration.EMAIL)) {
            checkEmailSender();
            List<String> chain = ProviderChain.providers(settings, Integration.EMAIL);
            if (chain.contains("sendgrid")) {
                checkSendGrid();
            }
            if (chain.contains("smtp")) {
                checkSmtp();
            }
        }
        if (settings.isEnabled(Integration.SMS) && ProviderChain.providers(settings, Integration.SMS).contains("twilio")) {
            checkTwilio();
        }
        if (settings.isEnabled(Integration.STORAGE) && settings.provider(Integration.STORAGE).equals("s3")) {
            checkS3();
        }
        if (settings.isEnabled(Integration.SEARCH)) {
            checkSearch(settings.provider(Integration.SEARCH));
        }
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
        checkBoolean("jms.check-broker-policy");
        checkLease();
        checkBrokerUrl();
        checkDuration("jms.park-max-age");
        checkDuration("idempotency.window");
        checkDuration("search.write-order-window");
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
        String allowed = integration.providers().stream()
                .map(p -> p.available() ? p.name() : p.name() + " (not available in this version)")
                .collect(Collectors.joining(", "));
        var provider = integration.provider(name);
        if (provider.isEmpty()) {
            report(integration.providerKey(), "'" + name + "' is not a provider of " + integration.id()
                    + "; allowed: " + allowed);
            return;
        }
        List<String> platformFlags = provider.get().platformFlags();
        if (!platformFlags.isEmpty() && platformFlags.stream().noneMatch(settings::isOn)) {
            report(integration.providerKey(), "provider '" + name + "' is switched off by the platform; set "
                    + platformFlags.stream().map(f -> PlatformEnvironmentSource.environmentName(f) + "=true")
                            .collect(Collectors.joining(" or "))
                    + ", or choose another provider");
            return;
        }
        if (!provider.get().available()) {
            report(integration.providerKey(), "provider '" + name + "' of " + integration.id()
                    + " is not available in this version; allowed: " + allowed + ", or disable the integration with "
                    + integration.flagKey() + " (" + PlatformEnvironmentSource.environmentName(integration.flagKey())
                    + ")=false");
            return;
        }
    }

    /** Fallback providers: known, available, allowed by the platform, none twice, written without spaces. */
    private void checkFallbacks(Integration integration) {
        String key = integration.id() + ".fallback-providers";
        var list = settings.get(key);
        if (list.isEmpty()) {
            return;
        }
        String allowed = integration.providers().stream().filter(Integration.Provider::available)
                .map(Integration.Provider::name).collect(Collectors.joining(", "));
        List<String> seen = new ArrayList<>(List.of(settings.provider(integration)));
        for (String name : list.get().split(",")) {
            var provider = integration.provider(name);
            if (provider.isEmpty() || !provider.get().available()) {
                report(key, "'" + name + "' is not a provider of " + integration.id() + "; allowed: " + allowed
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

    private void checkEmailSender() {
        var from = settings.get("email.from-address");
        if (from.isEmpty()) {
            report("email.from-address", "required while email is enabled: the sender address, e.g. noreply@example.com");
        } else if (!Addresses.isEmail(from.get())) {
            report("email.from-address", "'" + from.get() + "' is not an email address (RFC 5322)");
        }
        settings.get("email.from-name").filter(Addresses::hasLineBreak)
                .ifPresent(v -> report("email.from-name", "must not contain line breaks"));
    }

    private void checkSendGrid() {
        if (settings.get("email.sendgrid.api-key").isEmpty()) {
            report("email.sendgrid.api-key", "required while email.provider is sendgrid: a SendGrid API key with mail send access");
        }
        settings.get("email.sendgrid.base-url").filter(url -> !url.matches("^https?://[^/\\s]+(/.*)?$"))
                .ifPresent(url -> report("email.sendgrid.base-url", "'" + url + "' is not an http(s) URL; e.g. https://api.sendgrid.com"));
        checkRange("email.sendgrid.connect-timeout", 1, 600_000);
        checkRange("email.sendgrid.read-timeout", 1, 600_000);
    }

    private void checkSmtp() {
        if (settings.get("email.smtp.host").isEmpty()) {
            report("email.smtp.host", "required while email.provider is smtp: the mail server's host name");
        }
        checkPort("email.smtp.port", false);
        String security = settings.get("email.smtp.security", "none");
        if (!List.of("none", "starttls", "tls").contains(security.toLowerCase(Locale.ROOT))) {
            report("email.smtp.security", "'" + security + "' is not a mode; allowed: none, starttls, tls");
        }
        if (settings.get("email.smtp.username").isPresent() && settings.get("email.smtp.password").isEmpty()) {
            report("email.smtp.password", "required when email.smtp.username is set");
        }
        checkRange("email.smtp.timeout", 1, 600_000);
    }

    private void checkSearch(String provider) {
        checkRange("search.max-size", 1, 10_000);
        checkRange("search.default-size", 0, 10_000);
        checkRange("search.bulk-max-documents", 1, 100_000);
        switch (provider) {
            case "elasticsearch", "opensearch" -> {
                String key = "search." + provider + ".hosts";
                var hosts = settings.get(key);
                if (hosts.isEmpty()) {
                    report(key, "required while search.provider is " + provider + ": host:port[,host:port...], e.g. 127.0.0.1:9200");
                } else {
                    for (String host : hosts.get().split(",")) {
                        if (!host.trim().matches("^(https?://)?[^/\\s:]+(:\\d{1,5})?/?$")) {
                            report(key, "'" + host.trim() + "' is not host:port (optionally with http:// or https://)");
                        }
                    }
                }
                if (settings.get("search." + provider + ".username").isPresent()
                        && settings.get("search." + provider + ".password").isEmpty()) {
                    report("search." + provider + ".password", "required when search." + provider + ".username is set");
                }
                settings.get("search." + provider + ".ca-certificate")
                        .filter(path -> !java.nio.file.Files.isReadable(java.nio.file.Path.of(path)))
                        .ifPresent(path -> report("search." + provider + ".ca-certificate", "'" + path + "' is not a readable file"));
                checkRange("search." + provider + ".connect-timeout", 1, 600_000);
                checkRange("search." + provider + ".read-timeout", 1, 600_000);
            }
            case "meilisearch" -> {
                settings.get("search.meilisearch.url").filter(url -> !url.matches("^https?://[^/\\s]+/?$"))
                        .ifPresent(url -> report("search.meilisearch.url", "'" + url + "' is not an http(s) URL without a path; e.g. http://127.0.0.1:7700"));
                if (settings.get("search.meilisearch.url").isEmpty()) {
                    report("search.meilisearch.url", "required while search.provider is meilisearch, e.g. http://127.0.0.1:7700");
                }
                checkRange("search.meilisearch.connect-timeout", 1, 600_000);
                checkRange("search.meilisearch.read-timeout", 1, 600_000);
                checkRange("search.meilisearch.task-timeout", 0, 600_000);
                checkRange("search.meilisearch.task-poll-interval", 1, 60_000);
            }
            default -> {
            }
        }
    }

    private void checkS3() {
        var bucket = settings.get("storage.bucket");
        if (bucket.isEmpty()) {
            report("storage.bucket", "required while storage.provider is s3: the bucket's name");
        } else if (!bucket.get().matches("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")) {
            report("storage.bucket", "'" + bucket.get() + "' is not an S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-')");
        }
        settings.get("storage.s3.endpoint").filter(url -> !url.matches("^https?://[^/\\s]+/?$"))
                .ifPresent(url -> report("storage.s3.endpoint", "'" + url + "' is not an http(s) endpoint, e.g. http://minio:9000"));
        if (settings.get("storage.s3.access-key").isPresent() != settings.get("storage.s3.secret-key").isPresent()) {
            report("storage.s3.secret-key", "storage.s3.access-key and storage.s3.secret-key go together; set both, "
                    + "or neither for the AWS default credential chain");
        }
        checkLongRange("storage.s3.part-size", 5L * 1024 * 1024, 5L * 1024 * 1024 * 1024);
        checkBoolean("storage.s3.sse-s3");
        checkBoolean("storage.s3.sse-kms");
        checkBoolean("storage.s3.path-style");
        checkBoolean("storage.s3.auto-create-bucket");
        if (settings.isOn("storage.s3.sse-s3") && settings.isOn("storage.s3.sse-kms")) {
            report("storage.s3.sse-kms", "choose one of storage.s3.sse-s3 and storage.s3.sse-kms");
        }
    }

    private void checkTwilio() {
        var accountSid = settings.get("sms.twilio.account-sid");
        if (accountSid.isEmpty()) {
            report("sms.twilio.account-sid", "required while sms.provider is twilio: the account SID (AC followed by 32 hex digits)");
        } else if (!accountSid.get().matches("^AC[0-9a-fA-F]{32}$")) {
            report("sms.twilio.account-sid", "'" + accountSid.get() + "' is not an account SID (AC followed by 32 hex digits)");
        }
        boolean apiKey = settings.get("sms.twilio.api-key-sid").isPresent();
        if (apiKey && settings.get("sms.twilio.api-key-secret").isEmpty()) {
            report("sms.twilio.api-key-secret", "required when sms.twilio.api-key-sid is set");
        }
        if (!apiKey && settings.get("sms.twilio.auth-token").isEmpty()) {
            report("sms.twilio.auth-token", "required while sms.provider is twilio, unless sms.twilio.api-key-sid and "
                    + "sms.twilio.api-key-secret are set");
        }
        var from = settings.get("sms.twilio.from");
        var service = settings.get("sms.twilio.messaging-service-sid");
        if (from.isEmpty() && service.isEmpty()) {
            report("sms.twilio.from", "required while sms.provider is twilio: a sender number in E.164 form, "
                    + "or set sms.twilio.messaging-service-sid instead");
        } else if (from.isPresent() && service.isEmpty() && !Addresses.isE164(from.get())) {
            report("sms.twilio.from", "'" + from.get() + "' is not a phone number in E.164 form, e.g. +14155550100");
        }
        service.filter(s -> !s.matches("^MG[0-9a-fA-F]{32}$"))
                .ifPresent(s -> report("sms.twilio.messaging-service-sid", "'" + s + "' is not a messaging service SID (MG followed by 32 hex digits)"));
        settings.get("sms.twilio.base-url").filter(url -> !url.matches("^https?://[^/\\s]+/?$"))
                .ifPresent(url -> report("sms.twilio.base-url", "'" + url + "' is not an http(s) base URL; e.g. https://api.twilio.com"));
        settings.get("sms.twilio.status-callback").filter(url -> !url.matches("^https?://\\S+$"))
                .ifPresent(url -> report("sms.twilio.status-callback", "'" + url + "' is not an http(s) URL"));
        checkRange("sms.twilio.connect-timeout", 1, 600_000);
        checkRange("sms.twilio.read-timeout", 1, 600_000);
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
        Map<String, String> readTimeouts = Map.of("email.sendgrid", "email.sendgrid.read-timeout",
                "email.smtp", "email.smtp.timeout", "sms.twilio", "sms.twilio.read-timeout");
        List<String> inUse = new ArrayList<>();
        for (Integration integration : List.of(Integration.EMAIL, Integration.SMS)) {
            if (settings.isEnabled(integration)) {
                inUse.add(integration.id() + "." + settings.provider(integration));
                settings.get(integration.id() + ".fallback-providers").ifPresent(list -> Arrays.stream(list.split(","))
                        .forEach(name -> inUse.add(integration.id() + "." + name.trim())));
            }
        }
        for (String timeout : inUse.stream().map(readTimeouts::get).filter(java.util.Objects::nonNull).toList()) {
            long value;
            try {
                value = settings.getLong(timeout, 0);
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
