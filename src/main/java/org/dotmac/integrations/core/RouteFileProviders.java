package org.dotmac.integrations.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Custom providers, the platform registry's {@code register_provider}: Camel route files in
 * {@code gateway.routes-dir}. A route that starts from {@code direct:<integration>-<name>} (email or SMS)
 * registers provider {@code <name>} of that integration; other {@code direct:} routes are its helpers.
 * A file may hold routes only, each starting from a {@code direct:} endpoint: any other consumer
 * (platform-http, jms, timer, a REST block) would take requests past the API's authentication.
 */
public final class RouteFileProviders {

    public static final String DIRECTORY_KEY = "gateway.routes-dir";
    private static final Pattern PROVIDER = Pattern.compile("^direct:(?://)?(email|sms)-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$");
    private static final Pattern OTHER_INTEGRATION = Pattern.compile("^direct:(?://)?(storage|search)-.*");
    /** Names the gateway's own routes use beside its providers'. */
    private static final Set<String> RESERVED = Set.of("send", "providers");

    /** What a folder holds: its files, the providers they define, and what is wrong with them. */
    public record Found(List<Path> files, List<ProviderModule> modules, List<String> problems) {
        static final Found NONE = new Found(List.of(), List.of(), List.of());
    }

    private static final Map<String, Found> READ = new ConcurrentHashMap<>();

    private RouteFileProviders() {
    }

    /** The folder of {@code gateway.routes-dir}, read once per folder and process. */
    public static Found of(Settings settings) {
        return settings.get(DIRECTORY_KEY).map(dir -> READ.computeIfAbsent(dir, d -> read(Path.of(d)))).orElse(Found.NONE);
    }

    static Found read(Path dir) {
        List<String> problems = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<ProviderModule> modules = new ArrayList<>();
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            return new Found(List.of(), List.of(), List.of("'" + dir + "' is not a readable folder"));
        }
        try (Stream<Path> listing = Files.list(dir)) {
            listing.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml$")).sorted().forEach(files::add);
        } catch (IOException e) {
            return new Found(List.of(), List.of(), List.of("'" + dir + "' cannot be listed (" + e.getClass().getSimpleName() + ")"));
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            Object document;
            try {
                document = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            } catch (IOException | RuntimeException e) {
                problems.add(name + ": not a readable YAML file (" + e.getClass().getSimpleName() + ")");
                continue;
            }
            if (!(document instanceof List<?> items)) {
                problems.add(name + ": not a list of routes");
                continue;
            }
            for (Object item : items) {
                checkItem(name, item, problems, modules);
            }
        }
        return new Found(List.copyOf(files), List.copyOf(modules), List.copyOf(problems));
    }

    private static void checkItem(String file, Object item, List<String> problems, List<ProviderModule> modules) {
        if (!(item instanceof Map<?, ?> map) || map.size() != 1 || !"route".equals(map.keySet().iterator().next())) {
            String key = item instanceof Map<?, ?> m && !m.isEmpty() ? String.valueOf(m.keySet().iterator().next()) : "?";
            problems.add(file + ": '" + key + "' is not allowed here; a provider file holds routes only "
                    + "(- route: with an id and a from: direct:...)");
            return;
        }
        Object route = map.get("route");
        Object id = route instanceof Map<?, ?> r ? r.get("id") : null;
        Object from = route instanceof Map<?, ?> r ? r.get("from") : null;
        Object uri = from instanceof Map<?, ?> f ? f.get("uri") : from;
        if (!(uri instanceof String endpoint)) {
            problems.add(file + ": route " + id + " has no from uri");
            return;
        }
        if (!endpoint.startsWith("direct:")) {
            // only the scheme: an endpoint may carry a credential
            String scheme = endpoint.contains(":") ? endpoint.substring(0, endpoint.indexOf(':')) : endpoint;
            problems.add(file + ": route " + id + " starts from '" + scheme + ":'; only direct: routes are allowed, "
                    + "a consumer of its own would take requests past the API's authentication");
            return;
        }
        if (OTHER_INTEGRATION.matcher(endpoint).matches()) {
            problems.add(file + ": route " + id + " starts from " + endpoint + "; custom providers are for email and sms");
            return;
        }
        Matcher provider = PROVIDER.matcher(endpoint);
        if (!provider.matches()) {
            return;
        }
        Integration integration = Integration.byId(provider.group(1)).orElseThrow();
        String name = provider.group(2);
        if (RESERVED.contains(name) || name.endsWith("-call") || name.endsWith("-provider")
                || Providers.find(integration, name).isPresent()) {
            problems.add(file + ": '" + name + "' is a name the gateway uses itself for " + integration.id()
                    + "; choose another provider name");
        } else if ((integration.id() + "-" + name).equals(id)) {
            problems.add(file + ": route id " + id + " is the id of the gateway's own route around the provider;"
                    + " give the route another id, or none");
        } else if (modules.stream().anyMatch(m -> m.integration() == integration && m.name().equals(name))) {
            problems.add(file + ": provider " + name + " of " + integration.id() + " is defined twice");
        } else {
            modules.add(new Custom(integration, name, endpoint));
        }
    }

    /**
     * A provider defined by a route file: no settings of its own, the gateway's breaker, metrics and health
     * around it (the provider-call template, from {@link #endpoint()}, calling the file's route).
     */
    public record Custom(Integration integration, String name, String call) implements ProviderModule {

        @Override
        public List<Setting> settings() {
            return List.of();
        }

        @Override
        public String endpoint() {
            return "direct:" + routeId() + "-provider";
        }

        @Override
        public void bind(ProviderBinding binding) {
            // the file's routes are loaded with the built-in ones; the gateway adds the route around them
        }
    }
}
