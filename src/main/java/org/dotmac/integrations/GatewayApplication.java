package org.dotmac.integrations;

import java.util.Map;

import org.dotmac.integrations.core.ConfigurationProblemsException;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** {@code java -jar dotmac-integrations.jar}: the gateway on the configuration of its environment. */
public final class GatewayApplication {

    private GatewayApplication() {
    }

    public static void main(String[] args) throws Exception {
        int exitCode;
        try {
            Gateway gateway = new Gateway(System.getenv(), Map.of());
            // SIGTERM and SIGINT stop the gateway gracefully (camel.main.shutdown-timeout) and exit 0;
            // left to the JVM, they would run the same shutdown from a hook and exit 143
            for (String name : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(name), signal -> gateway.requestStop());
            }
            exitCode = gateway.run();
        } catch (ConfigurationProblemsException e) {
            LoggerFactory.getLogger(GatewayApplication.class).error(e.getMessage());
            exitCode = 2;
        }
        System.exit(exitCode);
    }
}
