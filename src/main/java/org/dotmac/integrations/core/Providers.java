package org.dotmac.integrations.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The provider registry: every {@link ProviderModule} on the class path, in the order they are listed. */
public final class Providers {

    private static final List<ProviderModule> ALL = load();

    private Providers() {
    }

    private static List<ProviderModule> load() {
        List<ProviderModule> modules = new ArrayList<>();
        for (ProviderModule module : ServiceLoader.load(ProviderModule.class, Providers.class.getClassLoader())) {
            if (find(modules, module.integration(), module.name()).isPresent()) {
                throw new IllegalStateException("two provider modules are named " + module.routeId());
            }
            modules.add(module);
        }
        return List.copyOf(modules);
    }

    /** The built-in modules. */
    public static List<ProviderModule> all() {
        return ALL;
    }

    /** The built-in modules and those the route files of {@code gateway.routes-dir} define. */
    public static List<ProviderModule> all(Settings settings) {
        List<ProviderModule> custom = RouteFileProviders.of(settings).modules();
        if (custom.isEmpty()) {
            return ALL;
        }
        List<ProviderModule> modules = new ArrayList<>(ALL);
        modules.addAll(custom);
        return List.copyOf(modules);
    }

    public static List<ProviderModule> of(Integration integration) {
        return ALL.stream().filter(m -> m.integration() == integration).toList();
    }

    public static List<ProviderModule> of(Settings settings, Integration integration) {
        return all(settings).stream().filter(m -> m.integration() == integration).toList();
    }

    public static Optional<ProviderModule> find(Integration integration, String name) {
        return find(ALL, integration, name);
    }

    public static Optional<ProviderModule> find(Settings settings, Integration integration, String name) {
        return find(all(settings), integration, name);
    }

    /** The modules in use: the provider and fallback providers of every enabled integration. */
    public static List<ProviderModule> inUse(Settings settings) {
        List<ProviderModule> used = new ArrayList<>();
        for (Integration integration : Integration.values()) {
            if (settings.isEnabled(integration)) {
                for (String name : settings.chain(integration)) {
                    find(settings, integration, name).ifPresent(used::add);
                }
            }
        }
        return used;
    }

    private static Optional<ProviderModule> find(List<ProviderModule> modules, Integration integration, String name) {
        return modules.stream().filter(m -> m.integration() == integration && m.name().equals(name)).findFirst();
    }
}
