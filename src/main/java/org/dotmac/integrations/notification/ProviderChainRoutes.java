package org.dotmac.integrations.notification;

import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.LoadBalanceDefinition;
import org.apache.camel.model.RouteDefinition;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProviderMisconfiguredException;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Providers;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.dotmac.integrations.core.Settings;

/**
 * {@code direct:<integration>-providers}: the configured provider, then the fallback providers in order
 * ({@code email.fallback-providers}), as Camel's failover load balancer, built from the configuration so
 * that the route dump shows the chain. The next provider takes over, with the request as it came, when
 * one is unavailable (its breaker open too) or refuses our configuration; a request a provider refuses
 * (the caller's fault) is not tried elsewhere.
 */
public class ProviderChainRoutes extends RouteBuilder {

    @Override
    public void configure() {
        Settings settings = Settings.of(getContext());
        for (Integration integration : Integration.values()) {
            if (!integration.hasFallbacks() || !settings.isEnabled(integration)) {
                continue;
            }
            List<String> chain = settings.chain(integration);
            RouteDefinition route = from("direct:" + integration.id() + "-providers")
                    .routeId(integration.id() + "-providers").routeConfigurationId("internal");
            if (chain.size() == 1) {
                route.to(endpoint(settings, integration, chain.getFirst()));
                continue;
            }
            LoadBalanceDefinition failover = route.loadBalance()
                    .failover(ProviderUnavailableException.class, ProviderMisconfiguredException.class);
            chain.forEach(provider -> failover.to(endpoint(settings, integration, provider)));
        }
    }

    private static String endpoint(Settings settings, Integration integration, String provider) {
        return Providers.find(settings, integration, provider).map(ProviderModule::endpoint)
                .orElse("direct:" + integration.providerRouteId(provider));
    }
}
