package org.dotmac.integrations.core;

import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;

/** Typed reads of the gateway's properties, resolved exactly as Camel resolves them. */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public static Settings of(CamelContext context) {
        return new Settings(context.getPropertiesComponent()::resolveProperty);
    }

    /** The trimmed value, empty when unset or blank. */
    public Optional<String> get(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /** A flag; anything but "true" (any case) is off. Start-up validation rejects other spellings. */
    public boolean isOn(String key) {
        return get(key).map(Boolean::parseBoolean).orElse(false);
    }

    public boolean isEnabled(Integration integration) {
        return isOn(integration.flagKey());
    }

    public String provider(Integration integration) {
        return get(integration.providerKey(), integration.defaultProvider());
    }

    public int getInt(String key, int defaultValue) {
        return get(key).map(Integer::parseInt).orElse(defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        return get(key).map(Long::parseLong).orElse(defaultValue);
    }

    /**
     * Sets a property above every source (Camel's override properties), for values the gateway
     * decides or fetches at run time: a forced loopback host, a secret read from Vault.
     */
    public static void override(CamelContext context, String key, String value) {
        PropertiesComponent pc = (PropertiesComponent) context.getPropertiesComponent();
        synchronized (pc) {
            Properties overrides = pc.getOverrideProperties();
            if (overrides == null) {
                overrides = new Properties();
                pc.setOverrideProperties(overrides);
            }
            overrides.setProperty(key, value);
        }
    }
}
