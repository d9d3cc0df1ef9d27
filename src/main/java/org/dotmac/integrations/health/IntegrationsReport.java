package org.dotmac.integrations.health;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.CamelContext;
import org.apache.camel.Header;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.PlatformEnvironmentSource;
import org.dotmac.integrations.core.Settings;

/**
 * The state of every integration, one source for the API, the health checks and the gauges.
 * An enabled integration is READY when the route of its provider runs and the provider has not
 * refused our configuration since its last success; ERROR otherwise.
 */
public class IntegrationsReport {

    private final CamelContext context;
    private final Settings settings;
    private final ProviderAlerts alerts;
    private final ProviderBreakers breakers;

    public IntegrationsReport(CamelContext context, Settings settings, ProviderAlerts alerts, ProviderBreakers breakers) {
        this.context = context;
        this.settings = settings;
        this.alerts = alerts;
        this.breakers = breakers;
    }

    public IntegrationStatus status(Integration integration) {
        String provider = settings.provider(integration);
        if (!settings.isEnabled(integration)) {
            return new IntegrationStatus(integration.id(), false, provider, IntegrationStatus.State.DISABLED,
                    "disabled; set " + PlatformEnvironmentSource.environmentName(integration.flagKey())
                            + "=true to enable it");
        }
        String routeId = integration.providerRouteId(provider);
        Route route = context.getRoute(routeId);
        ServiceStatus routeStatus = route == null ? null : context.getRouteController().getRouteStatus(routeId);
        if (routeStatus == null || !routeStatus.isStarted()) {
            return new IntegrationStatus(integration.id(), true, provider, IntegrationStatus.State.ERROR,
                    "provider " + provider + " is not running (route " + routeId + " is "
                            + (routeStatus == null ? "missing" : routeStatus.name().toLowerCase()) + ")");
        }
        var alert = alerts.alert(integration.id());
        if (alert.isPresent()) {
            return new IntegrationStatus(integration.id(), true, provider, IntegrationStatus.State.ERROR, alert.get());
        }
        if (open(routeId)) {
            // degraded but healthy while a fallback provider can serve; ERROR when none can
            var fallback = settings.chain(integration).stream().skip(1)
                    .filter(p -> !open(integration.providerRouteId(p))).findFirst();
            String message = "the circuit breaker of " + routeId + " is open after repeated provider failures";
            return fallback.isPresent()
                    ? new IntegrationStatus(integration.id(), true, provider, IntegrationStatus.State.READY,
                            "degraded: " + message + "; " + fallback.get() + " serves meanwhile")
                    : new IntegrationStatus(integration.id(), true, provider, IntegrationStatus.State.ERROR, message);
        }
        if (breakers.state(routeId).filter(s -> s == CircuitBreaker.State.HALF_OPEN).isPresent()) {
            return new IntegrationStatus(integration.id(), true, provider, IntegrationStatus.State.READY,
                    "recovering: the circuit breaker of " + routeId + " is half-open, the next calls try the provider");
        }
        String message = provider.equals("outbox")
                ? "development outbox: messages are kept in memory and not delivered (GET /api/v1/outbox)"
                : "provider " + provider + " ready";
        return new IntegrationStatus(integration.id(), true, provider, IntegrationStatus.State.READY, message);
    }

    private boolean open(String routeId) {
        return breakers.state(routeId).filter(s -> s == CircuitBreaker.State.OPEN)
                .isPresent();
    }

    public List<IntegrationStatus> all() {
        return Arrays.stream(Integration.values()).map(this::status).toList();
    }

    /** The platform's report: every integration plus total, healthy and error counts. */
    public Map<String, Object> report() {
        List<IntegrationStatus> all = all();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("integrations", all);
        report.put("total", all.size());
        report.put("healthy", all.stream().filter(IntegrationStatus::healthy).count());
        report.put("error", all.stream().filter(s -> !s.healthy()).count());
        return report;
    }

    public IntegrationStatus byName(@Header("name") String name) {
        return Integration.byId(name).map(this::status).orElseThrow(() -> new ProblemException(404, "Not Found",
                "no integration named '" + String.valueOf(name).replaceAll("[^\\w-]", "?") + "'; known: "
                        + String.join(", ", Arrays.stream(Integration.values()).map(Integration::id).toList())));
    }
}
