package org.dotmac.integrations.config;

import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Providers;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.vault.HashicorpVaultConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials from HashiCorp Vault (KV v2) through Camel's {@code hashicorp} properties function,
 * at the platform's paths. Only the secrets of enabled providers are read, a non-empty property or
 * environment value wins, and every secret read is read again each {@code vault.refresh-interval}
 * so that a rotated value takes effect without a restart: values are swapped in place, no route
 * restarts, so requests in flight carry on.
 */
public final class VaultSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(VaultSecrets.class);

    /** A credential property and where the platform keeps it in Vault. */
    /** @param optional the secret may lack the field: its setting then keeps its default */
    record Secret(String property, String path, String field, Predicate<Settings> needed, boolean optional) {
    }

    static final List<Secret> CATALOG = catalog();

    /** Every provider setting with a place in Vault, read while its provider is in use, and the API keys. */
    private static List<Secret> catalog() {
        List<Secret> catalog = new ArrayList<>();
        for (ProviderModule module : Providers.all()) {
            for (Setting setting : module.settings()) {
                Setting.VaultField vault = setting.vault();
                if (vault != null) {
                    catalog.add(new Secret(setting.key(), vault.path(), vault.field(),
                            s -> uses(s, module) && vault.needed().test(s), vault.optional()));
                }
            }
        }
        catalog.add(new Secret("gateway.api-keys", "gateway/api-keys", "keys", s -> true, false));
        return List.copyOf(catalog);
    }

    private final CamelContext context;
    private final String mount;
    private final Map<Secret, String> values = new LinkedHashMap<>();
    /** Optional secrets Vault did not hold at start-up: each refresh looks for them again. */
    private final List<Secret> absent = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ScheduledExecutorService refresher;

    private VaultSecrets(CamelContext context, String mount) {
        this.context = context;
        this.mount = mount;
    }

    /**
     * Reads the secrets the configuration needs from Vault, when Vault is configured, and makes them
     * the values of their properties. Returns the problems found, one per secret.
     */
    public static Result load(CamelContext context, Settings settings) {
        List<String> problems = new ArrayList<>();
        var address = settings.get("vault.addr");
        boolean camelConfigured = settings.get("camel.vault.hashicorp.host").isPresent()
                || System.getenv("CAMEL_HASHICORP_VAULT_HOST") != null;
        if (address.isEmpty() && !camelConfigured) {
            return new Result(null, problems);
        }
        HashicorpVaultConfiguration vault = context.getVaultConfiguration().hashicorp();
        if (address.isPresent() && !configure(vault, settings, address.get(), problems)) {
            return new Result(null, problems);
        }
        if (address.isEmpty()) {
            // camel.vault.hashicorp.*: camel-main binds them only after this point, and the function needs them now
            settings.get("camel.vault.hashicorp.host").ifPresent(vault::setHost);
            settings.get("camel.vault.hashicorp.port").ifPresent(vault::setPort);
            settings.get("camel.vault.hashicorp.scheme").ifPresent(vault::setScheme);
            settings.get("camel.vault.hashicorp.token").ifPresent(vault::setToken);
        }
        VaultSecrets secrets = new VaultSecrets(context, settings.get("vault.mount", "secret"));
        for (Secret secret : CATALOG) {
            if (settings.get(secret.property()).isPresent() || !secret.needed().test(settings)) {
                continue;
            }
            try {
                String value = secrets.read(secret);
                secrets.values.put(secret, value);
                secrets.publish(secret.property(), value);
            } catch (VaultProblem e) {
                if (secret.optional() && e.missingField()) {
                    secrets.absent.add(secret); // nothing there yet: the setting keeps its default
                    continue;
                }
                problems.add(secret.property() + " (Vault " + secrets.mount + "/" + secret.path() + " field " + secret.field()
                        + "): " + e.getMessage());
            }
        }
        if (!secrets.values.isEmpty()) {
            LOG.info("Read {} secret(s) from Vault: {}", secrets.values.size(),
                    String.join(", ", secrets.values.keySet().stream().map(Secret::property).toList()));
        }
        return new Result(secrets, problems);
    }

    /** VAULT_ADDR, VAULT_TOKEN or VAULT_TOKEN_FILE onto Camel's Vault settings. */
    private static boolean configure(HashicorpVaultConfiguration vault, Settings settings, String address, List<String> problems) {
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getScheme() == null
                || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            problems.add("vault.addr (VAULT_ADDR): '" + address + "' is not a Vault address such as https://vault:8200");
            return false;
        }
        String token = settings.get("vault.token").orElse(null);
        var tokenFile = settings.get("vault.token-file");
        if (token == null && tokenFile.isPresent()) {
            try {
                token = Files.readString(Path.of(tokenFile.get())).trim();
            } catch (IOException e) {
                problems.add("vault.token-file (VAULT_TOKEN_FILE): " + tokenFile.get() + " cannot be read: "
                        + e.getClass().getSimpleName());
                return false;
            }
        }
        if (token == null || token.isEmpty()) {
            problems.add("vault.token (VAULT_TOKEN): required while VAULT_ADDR is set (or VAULT_TOKEN_FILE)");
            return false;
        }
        vault.setScheme(uri.getScheme());
        vault.setHost(uri.getHost());
        vault.setPort(String.valueOf(uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80));
        vault.setToken(token);
        return true;
    }

    /**
     * Reads the secrets again every interval, from a background thread of Camel's, then runs
     * {@code afterRefresh} (which checks what was published).
     */
    public void startRefresh(Duration interval, Runnable afterRefresh) {
        if (values.isEmpty()) {
            return;
        }
        refresher = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "vault-refresh");
        refresher.scheduleWithFixedDelay(() -> {
            refresh();
            try {
                afterRefresh.run();
            } catch (RuntimeException e) {
                // a failure here must not end the schedule (the executor would drop it silently)
                LOG.warn("Checking the refreshed secrets failed: {}", e.getClass().getSimpleName());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stopRefresh() {
        if (refresher != null) {
            context.getExecutorServiceManager().shutdownNow(refresher);
        }
    }

    void refresh() {
        for (Secret secret : absent) {
            try {
                String value = read(secret);
                values.put(secret, value);
                absent.remove(secret);
                publish(secret.property(), value);
                LOG.info("Secret {} appeared in Vault ({}/{} field {}): now in use", secret.property(), mount,
                        secret.path(), secret.field());
            } catch (VaultProblem | RuntimeException e) {
                // still absent (or Vault away): looked for again at the next refresh
            }
        }
        for (var entry : values.entrySet()) {
            Secret secret = entry.getKey();
            try {
                String value = read(secret);
                if (!value.equals(entry.getValue())) {
                    entry.setValue(value);
                    publish(secret.property(), value);
                    LOG.info("Secret {} changed in Vault ({}/{} field {}): now in use", secret.property(), mount,
                            secret.path(), secret.field());
                }
            } catch (VaultProblem | RuntimeException e) {
                LOG.warn("Could not refresh {} from Vault ({}/{} field {}); the current value stays in use: {}",
                        secret.property(), mount, secret.path(), secret.field(), e.getMessage());
            }
        }
    }

    private String read(Secret secret) throws VaultProblem {
        String value;
        try {
            value = context.getPropertiesComponent()
                    .parseUri("{{hashicorp:" + mount + ":" + secret.path() + "#" + secret.field() + "}}");
        } catch (IllegalArgumentException e) {
            // Camel's answer when the function found the secret but not the field: "Property ... not found"
            throw VaultProblem.noField(secret, mount);
        } catch (RuntimeException e) {
            throw VaultProblem.from(e);
        }
        if (value == null || value.isBlank()) {
            throw VaultProblem.noField(secret, mount);
        }
        return value;
    }

    /** Properties the gateway reads per use, so a new value applies to the next request. */
    private void publish(String property, String value) {
        Settings.override(context, property, value);
    }

    public record Result(VaultSecrets secrets, List<String> problems) {
    }

    /** What went wrong reading one secret, in words an operator can act on; never a value or the token. */
    static final class VaultProblem extends Exception {

        private final boolean missingField;

        VaultProblem(String message) {
            this(message, false);
        }

        private VaultProblem(String message, boolean missingField) {
            super(message, null, false, false);
            this.missingField = missingField;
        }

        static VaultProblem noField(Secret secret, String mount) {
            return new VaultProblem("the secret has no field " + secret.field() + "; add it at " + mount + "/" + secret.path(), true);
        }

        /** Vault answered that there is no such secret or no such field in it (not that it could not be asked). */
        boolean missingField() {
            return missingField;
        }

        static VaultProblem from(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                String message = t.getMessage() == null ? "" : t.getMessage();
                if (t instanceof ConnectException || message.contains("Connection refused")
                        || t instanceof java.net.UnknownHostException) {
                    return new VaultProblem("Vault is unreachable; check VAULT_ADDR and that Vault is up");
                }
                if (message.contains("403") || message.toLowerCase(Locale.ROOT).contains("permission denied")) {
                    return new VaultProblem("Vault refused the token (403 permission denied); check VAULT_TOKEN and its policy");
                }
                if (t instanceof NullPointerException) {
                    // Camel's function reads a missing KV path as no data at all
                    return new VaultProblem("no secret at this path; check vault.mount and the path", true);
                }
            }
            return new VaultProblem("reading it failed (" + failure.getClass().getSimpleName() + ")");
        }
    }

    private static boolean uses(Settings settings, ProviderModule module) {
        return settings.isEnabled(module.integration()) && settings.chain(module.integration()).contains(module.name());
    }
}
