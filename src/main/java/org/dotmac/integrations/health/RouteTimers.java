package org.dotmac.integrations.health;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * Which routes Camel's route policy times: all but the REST door's inner hops ({@code direct:api-*}
 * routes), whose time the REST operation's own route already covers. Route timers were 8% of a
 * synchronous send's CPU (JFR), and a request passes two such hops.
 */
public final class RouteTimers implements RoutePolicyFactory {

    private final RoutePolicyFactory timers;

    private RouteTimers(RoutePolicyFactory timers) {
        this.timers = timers;
    }

    /** Wraps camel-micrometer's route policy factory; call before the routes start. */
    public static void skipRestHops(CamelContext context) {
        List<RoutePolicyFactory> factories = context.getRoutePolicyFactories();
        for (int i = 0; i < factories.size(); i++) {
            if (factories.get(i) instanceof MicrometerRoutePolicyFactory micrometer) {
                factories.set(i, new RouteTimers(micrometer));
            }
        }
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return isRestHop(routeId, route) ? null : timers.createRoutePolicy(context, routeId, route);
    }

    private static boolean isRestHop(String routeId, NamedNode route) {
        return routeId != null && routeId.startsWith("api-")
                && route instanceof RouteDefinition definition && definition.getInput() != null
                && definition.getInput().getEndpointUri().startsWith("direct:");
    }
}
