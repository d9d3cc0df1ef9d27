package org.dotmac.integrations.health;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;

/**
 * Per integration and provider: a request counter by outcome (success, rejected, misconfigured,
 * unavailable, failed) and a latency timer, recorded around each provider route (ids
 * {@code <integration>-<provider>}, which name both); the platform's integration gauges; and the
 * provider alerts that put an integration in ERROR when a provider refuses our configuration.
 */
public class IntegrationMetrics extends RoutePolicySupport {

    private static final String STARTED = "IntegrationMetrics.started";

    private final MeterRegistry registry;
    private final ProviderAlerts alerts;

    public IntegrationMetrics(MeterRegistry registry, IntegrationsReport report, ProviderAlerts alerts) {
        this.registry = registry;
        this.alerts = alerts;
        // The platform reads integrations_total. The Prometheus client refuses a gauge whose name ends
        // in _total, so this one is a counter (exposed as integrations_total); it never decreases.
        FunctionCounter.builder("integrations", report, r -> r.all().size())
                .description("Integrations known to the gateway").register(registry);
        Gauge.builder("integrations.healthy", report, r -> r.all().stream().filter(IntegrationStatus::healthy).count())
                .description("Integrations READY or DISABLED").register(registry);
        Gauge.builder("integrations.error", report, r -> r.all().stream().filter(s -> !s.healthy()).count())
                .description("Integrations in ERROR").register(registry);
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        exchange.setProperty(STARTED + route.getRouteId(), System.nanoTime());
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        Long started = exchange.getProperty(STARTED + route.getRouteId(), Long.class);
        String routeId = route.getRouteId();
        int dash = routeId.indexOf('-');
        String integration = dash < 0 ? routeId : routeId.substring(0, dash);
        String provider = dash < 0 ? "unknown" : routeId.substring(dash + 1);
        Exception failure = exchange.getException();
        String outcome = outcome(failure);
        if (failure instanceof ProviderException p && p.kind() == ProviderException.Kind.MISCONFIGURED) {
            alerts.raise(integration, provider, p.detail(), p.credentialsRefused());
        } else if (failure == null) {
            alerts.clear(integration);
        }
        Counter.builder("integration.requests")
                .description("Provider calls by integration, provider and outcome")
                .tags("integration", integration, "provider", provider, "outcome", outcome)
                .register(registry).increment();
        if (started != null) {
            Timer.builder("integration.request.duration")
                    .description("Time spent in the provider")
                    .tags("integration", integration, "provider", provider, "outcome", outcome)
                    .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private static String outcome(Exception failure) {
        if (failure == null) {
            return "success";
        }
        if (failure instanceof ProviderException p) {
            return p.kind().name().toLowerCase(Locale.ROOT);
        }
        return failure instanceof ProblemException p && p.status() < 500 ? "rejected" : "failed";
    }
}
