package org.dotmac.integrations.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One setting of a provider module, described once: start-up validation, the Vault catalog, the
 * defaults every route resolves and README's configuration table are derived from it.
 *
 * @param key          the property, e.g. {@code email.sendgrid.api-key}
 * @param defaultValue what applies when nothing sets it; empty: unset
 * @param requirement  when it must be set while its provider is in use
 * @param isSecret     a credential: never printed, masked in Camel's summary
 * @param vault        where the platform keeps it in Vault, or null
 * @param meaning      one line for README's table and the problem of a missing value
 * @param check        the problem of a value that is set, or empty when it is fine
 */
public record Setting(String key, String defaultValue, Requirement requirement, boolean isSecret, VaultField vault,
                      String meaning, Function<String, Optional<String>> check) {

    /** When a setting must be set; {@code words} complete "required while ... is in use". */
    public record Requirement(Predicate<Settings> when, String words) {
        public static final Requirement NEVER = new Requirement(s -> false, "");
        public static final Requirement ALWAYS = new Requirement(s -> true, "");
    }

    /**
     * A secret's place in Vault: KV v2 path below the mount, its field, and when it is read beside its
     * provider being in use ({@code words} say when, for README; empty: always).
     */
    public record VaultField(String path, String field, Predicate<Settings> needed, String words, boolean optional) {
    }

    public static Setting of(String key, String defaultValue, String meaning) {
        return new Setting(key, defaultValue, Requirement.NEVER, false, null, meaning, v -> Optional.empty());
    }

    public Setting required() {
        return new Setting(key, defaultValue, Requirement.ALWAYS, isSecret, vault, meaning, check);
    }

    /** Required only while {@code when} holds, e.g. "unless sms.twilio.api-key-sid is set". */
    public Setting requiredWhen(Predicate<Settings> when, String words) {
        return new Setting(key, defaultValue, new Requirement(when, words), isSecret, vault, meaning, check);
    }

    public Setting secret() {
        return new Setting(key, defaultValue, requirement, true, vault, meaning, check);
    }

    public Setting vault(String path, String field) {
        return vault(path, field, s -> true, "");
    }

    /** Read from Vault only while {@code needed} holds (beside its provider being in use), as {@code words} say. */
    public Setting vault(String path, String field, Predicate<Settings> needed, String words) {
        return new Setting(key, defaultValue, requirement, isSecret, new VaultField(path, field, needed, words, false), meaning, check);
    }

    /** A place in Vault that may hold no such field: then the setting keeps its default, and nothing fails. */
    public Setting optionalVault(String path, String field) {
        return new Setting(key, defaultValue, requirement, isSecret, new VaultField(path, field, s -> true, "", true), meaning, check);
    }

    public Setting check(Function<String, Optional<String>> more) {
        Function<String, Optional<String>> first = check;
        return new Setting(key, defaultValue, requirement, isSecret, vault, meaning,
                v -> first.apply(v).or(() -> more.apply(v)));
    }

    public Setting range(long min, long max) {
        return check(value -> {
            try {
                long n = Long.parseLong(value);
                return n < min || n > max ? Optional.of("'" + value + "' is out of range; allowed: " + min + " to " + max)
                        : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.of("'" + value + "' is not a whole number; allowed: " + min + " to " + max);
            }
        });
    }

    /** A timeout in milliseconds, 1 ms to 10 minutes. */
    public Setting milliseconds() {
        return range(1, 600_000);
    }

    public Setting port() {
        return range(1, 65535);
    }

    public Setting flag() {
        return check(value -> List.of("true", "false").contains(value.toLowerCase(Locale.ROOT)) ? Optional.empty()
                : Optional.of("'" + value + "' is not a flag; allowed: true, false"));
    }

    public Setting oneOf(String noun, String... allowed) {
        return check(value -> Arrays.asList(allowed).contains(value.toLowerCase(Locale.ROOT)) ? Optional.empty()
                : Optional.of("'" + value + "' is not " + noun + "; allowed: " + String.join(", ", allowed)));
    }

    /** A value that must match {@code regex}; {@code what} completes "is not ...". */
    public Setting matching(String regex, String what) {
        return check(value -> value.matches(regex) ? Optional.empty()
                : Optional.of((isSecret ? "the value" : "'" + value + "'") + " is not " + what));
    }

    public boolean hasDefault() {
        return !defaultValue.isEmpty();
    }

    /** The platform's spelling of its environment variable, e.g. {@code EMAIL__SENDGRID__API_KEY}. */
    public String environmentName() {
        return PlatformEnvironmentSource.environmentName(key);
    }
}
