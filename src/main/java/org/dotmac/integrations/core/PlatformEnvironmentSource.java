package org.dotmac.integrations.core;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.camel.Ordered;
import org.apache.camel.spi.LoadablePropertiesSource;

/**
 * Reads the platform's double-underscore environment names for every property key:
 * {@code EMAIL__SENDGRID__BASE_URL} is {@code email.sendgrid.base-url} ("__" → ".", "_" → "-", lower case).
 *
 * Camel itself already reads its own spelling ({@code EMAIL_SENDGRID_BASE_URL}) ahead of every
 * properties source, so when both spellings are set Camel's wins; this source sits ahead of
 * application.properties, so either spelling overrides the file.
 */
public final class PlatformEnvironmentSource implements LoadablePropertiesSource, Ordered {

    private final Map<String, String> environment;

    public PlatformEnvironmentSource(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The platform's environment name of a property key. */
    public static String environmentName(String key) {
        return key.replace(".", "__").replace("-", "_").toUpperCase(Locale.ROOT);
    }

    /** The property key a platform environment name stands for. */
    public static String propertyKey(String environmentName) {
        return environmentName.toLowerCase(Locale.ROOT).replace("__", ".").replace("_", "-");
    }

    /** Camel's own environment name of a property key (what Camel looks up by itself). */
    public static String camelEnvironmentName(String key) {
        return key.replace(".", "_").replace("-", "_").toUpperCase(Locale.ROOT);
    }

    @Override
    public String getName() {
        return "platform-environment";
    }

    @Override
    public String getProperty(String name) {
        String value = environment.get(environmentName(name));
        // an empty value counts as unset, so "FOO__BAR=" does not blank a default
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public Properties loadProperties() {
        return loadProperties(key -> true);
    }

    @Override
    public Properties loadProperties(Predicate<String> filter) {
        Properties answer = new Properties();
        environment.forEach((name, value) -> {
            if (name.contains("__") && !value.isEmpty()) {
                String key = propertyKey(name);
                if (filter.test(key)) {
                    answer.setProperty(key, value);
                }
            }
        });
        return answer;
    }

    @Override
    public void reloadProperties(String location) {
        // the environment of a running process does not change
    }

    @Override
    public int getOrder() {
        // ahead of classpath:application.properties (which has the default order, LOWEST)
        return HIGHEST + 100;
    }
}
