package org.dotmac.integrations;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.dotmac.integrations.core.PlatformEnvironmentSource;

/**
 * One gateway instance: Camel Main with the YAML routes, the platform's environment names and
 * the start-up sequence of {@link GatewayConfigurer}.
 */
public final class Gateway {

    private final Main main;

    /**
     * @param environment the process environment (its platform-style names are read as properties)
     * @param overrides   properties that win over every other source (tests use them)
     */
    public Gateway(Map<String, String> environment, Map<String, String> overrides) {
        main = new Main(GatewayApplication.class);
        main.bind("platformEnvironment", new PlatformEnvironmentSource(environment));
        overrides.forEach(main::addOverrideProperty);
        main.addMainListener(new GatewayConfigurer());
    }

    /** Runs until the JVM is asked to stop; returns the exit code. */
    public int run() throws Exception {
        return main.run(new String[0]);
    }

    /** Starts and returns once every route runs. */
    public Gateway start() throws Exception {
        main.start();
        return this;
    }

    /** Asks a running {@link #run()} to stop gracefully and return. */
    public void requestStop() {
        main.completed();
    }

    public void stop() throws Exception {
        main.stop();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }
}
