package org.dotmac.integrations;

import java.util.Map;

import org.dotmac.integrations.config.ConfigurationProblemsException;

/** {@code java -jar dotmac-integrations.jar}: the gateway on the configuration of its environment. */
public final class GatewayApplication {

    private GatewayApplication() {
    }

    public static void main(String[] args) throws Exception {
        int exitCode;
        try {
            exitCode = new Gateway(System.getenv(), Map.of()).run();
        } catch (ConfigurationProblemsException e) {
            System.err.println(e.getMessage());
            exitCode = 2;
        }
        System.exit(exitCode);
    }
}
