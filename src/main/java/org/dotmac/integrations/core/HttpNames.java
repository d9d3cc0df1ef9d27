package org.dotmac.integrations.core;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/** Names the HTTP door and the integrations' routes share. */
public final class HttpNames {

    /** The header that names the caller to the routes (the idempotency key's owner). */
    public static final String CALLER = "GatewayCaller";

    /** The length of a streamed response body, set by a route; never sent as such. */
    public static final String DECLARED_LENGTH = "X-Declared-Content-Length";

    /** Where object uploads are streamed (never buffered in memory). */
    public static final String STORAGE_OBJECTS = "/api/v1/storage/objects/";

    /** The router of the one HTTP server, on which the doors and the health probes mount their handlers. */
    public static VertxPlatformHttpRouter router(CamelContext camelContext, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camelContext,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("the HTTP server's router was not found: is camel.server.enabled true?");
        }
        return router;
    }

    private HttpNames() {
    }
}
