package org.dotmac.integrations.notification;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.Settings;

/**
 * The configured provider, then the fallback providers in order ({@code email.fallback-providers}):
 * when a provider is unavailable, its breaker open or our configuration refused, the next one takes
 * the same request. A request the provider refuses (the caller's fault) is not tried elsewhere.
 */
public class ProviderChain {

    private final Settings settings;
    private final ProducerTemplate producer;
    private final Map<Integration, List<String>> chains = new ConcurrentHashMap<>();
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public ProviderChain(Settings settings, ProducerTemplate producer) {
        this.settings = settings;
        this.producer = producer;
    }

    public void send(Exchange exchange, String integrationId) {
        Integration integration = Integration.byId(integrationId).orElseThrow();
        Object request = exchange.getMessage().getBody();
        // a copy that allows null values (JMS headers have some)
        Map<String, Object> headers = new java.util.HashMap<>(exchange.getMessage().getHeaders());
        // settings do not change while the gateway runs: the chain and its endpoints are looked up once
        List<String> providers = chains.computeIfAbsent(integration, settings::chain);
        for (int i = 0; i < providers.size(); i++) {
            exchange.getMessage().setBody(request);
            exchange.getMessage().getHeaders().clear();
            exchange.getMessage().getHeaders().putAll(headers);
            exchange.setException(null);
            producer.send(endpoints.computeIfAbsent(integration.providerRouteId(providers.get(i)),
                    id -> producer.getCamelContext().getEndpoint("direct:" + id)), exchange);
            Exception failure = exchange.getException();
            boolean last = i == providers.size() - 1;
            if (failure == null || last || !(failure instanceof ProviderException p)
                    || p.kind() == ProviderException.Kind.REJECTED) {
                return;
            }
        }
    }
}
