package org.dotmac.integrations.core;

import java.util.ArrayList;
import java.util.List;
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

    /** The provider, then the fallback providers in order (email and SMS), each named once. */
    public List<String> chain(Integration integration) {
        List<String> providers = new ArrayList<>();
        providers.add(provider(integration));
        if (integration.hasFallbacks()) {
            get(integration.fallbackKey()).ifPresent(list -> {
                for (String name : list.split(",")) {
                    if (!name.isBlank() && !providers.contains(name.trim())) {
                        providers.add(name.trim());
                    }
                }
            });
        }
        return providers;
    }

    /**
     * Gives every setting of every provider module its default where nothing sets it, so that route
     * files resolve them and {@code application.properties} need not repeat them.
     */
    public static void applyDefaults(CamelContext context) {
        for (ProviderModule module : Providers.all()) {
            for (Setting setting : module.allSettings()) {
                if (context.getPropertiesComponent().resolveProperty(setting.key()).isEmpty()) {
                    override(context, setting.key(), setting.defaultValue());
                }
            }
        }
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
