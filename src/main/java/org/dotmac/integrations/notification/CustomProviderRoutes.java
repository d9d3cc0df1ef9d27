package org.dotmac.integrations.notification;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Providers;
import org.dotmac.integrations.core.RouteFileProviders;
import org.dotmac.integrations.core.Settings;

/**
 * The custom providers' routes (README, "Custom providers"): the files of {@code gateway.routes-dir},
 * checked at start-up, load beside the built-in routes, and in front of each provider in use the
 * gateway puts its own route from the provider-call template, so that the chain calls it behind the
 * provider's breaker, limit and metrics.
 */
public final class CustomProviderRoutes {

    private CustomProviderRoutes() {
    }

    /** Called once the built-in routes are read (the template among them) and before they start. */
    public static void addTo(CamelContext context) {
        Settings settings = Settings.of(context);
        RouteFileProviders.Found found = RouteFileProviders.of(settings);
        if (found.files().isEmpty()) {
            return;
        }
        context.getRegistry().bind("customProviders", new CustomProviderCalls());
        List<Resource> files = found.files().stream()
                .map(file -> ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath())).toList();
        try {
            PluginHelper.getRoutesLoader(context).loadRoutes(files);
        } catch (Exception e) {
            throw new IllegalStateException("the route files of gateway.routes-dir could not be loaded: " + e.getMessage(), e);
        }
        for (ProviderModule module : Providers.inUse(settings)) {
            if (module instanceof RouteFileProviders.Custom custom) {
                TemplatedRouteBuilder.builder(context, "provider-call").routeId(custom.routeId())
                        .parameter("id", custom.routeId()).parameter("group", custom.integration().id())
                        .parameter("provider", "customProviders").parameter("from", custom.endpoint())
                        .parameter("call", custom.call()).parameter("failure", "failure(*, '" + custom.name() + "')")
                        .parameter("result", "result(*, '" + custom.name() + "')").add();
            }
        }
    }
}
