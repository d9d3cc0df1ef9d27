import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginBundle;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * Starts one Elasticsearch node from jars on the module path, for tests only (support/ElasticsearchNode
 * runs it in source-file mode). It skips the production bootstrap: no entitlements, no bootstrap
 * checks, no security. Arguments: home folder, HTTP port, transport port.
 */
public class NodeLauncher {

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("cluster.name", "gateway-test-" + args[1])
                .put("node.name", "node-" + args[1])
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", args[1])
                .put("transport.port", args[2])
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        LogConfigurator.configureWithoutConfig(settings);
        LogConfigurator.configureESLogging();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(),
                home.resolve("config"), () -> "node-" + args[1]);
        Set<PluginBundle> modules = PluginsLoader.loadModulesBundles(environment.modulesDir());
        Set<PluginBundle> plugins = PluginsLoader.loadPluginsBundles(environment.pluginsDir());
        PluginsLoader loader = PluginsLoader.createPluginsLoader(modules, plugins, Map.of());
        Node node = new Node(environment, loader).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                // the JVM is going away either way
            }
        }));
        System.out.println("NODE STARTED");
        Thread.currentThread().join();
    }
}
