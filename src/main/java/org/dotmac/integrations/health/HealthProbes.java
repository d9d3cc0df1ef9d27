package org.dotmac.integrations.health;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.dotmac.integrations.core.HttpNames;

/**
 * Answers the health endpoints on threads of their own. Camel's handler runs them on the HTTP worker
 * pool, where every synchronous send waits for its provider: with the workers busy, a liveness probe
 * would queue behind them and Kubernetes would restart an instance that is only busy. The answer has
 * Camel's shape: {@code status} (UP or DOWN; 503 when DOWN) and {@code checks} with each check's
 * {@code name}, {@code status} and {@code message}, and its {@code data} with {@code ?data=true}.
 */
public final class HealthProbes extends ServiceSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;
    private final int port;
    private final String path;
    private WorkerExecutor threads;

    /**
     * @param path camel.management.health-path, which the probes are served under
     */
    public HealthProbes(CamelContext context, int port, String path) {
        this.context = context;
        this.port = port;
        this.path = path;
    }

    @Override
    protected void doStart() {
        VertxPlatformHttpRouter router = HttpNames.router(context, port);
        // two threads: a probe's checks are quick (the broker's has its own timeout), and a third probe
        // waiting on the two means something is wrong with the checks, not with the load
        threads = router.vertx().createSharedWorkerExecutor("gateway-health", 2, 30, TimeUnit.SECONDS);
        router.route(HttpMethod.GET, path).order(-2000).handler(ctx -> answer(ctx, HealthCheckHelper::invoke));
        router.route(HttpMethod.GET, path + "/live").order(-2000)
                .handler(ctx -> answer(ctx, HealthCheckHelper::invokeLiveness));
        router.route(HttpMethod.GET, path + "/ready").order(-2000)
                .handler(ctx -> answer(ctx, HealthCheckHelper::invokeReadiness));
    }

    @Override
    protected void doStop() {
        if (threads != null) {
            threads.close();
        }
    }

    private void answer(RoutingContext ctx, Function<CamelContext, Collection<HealthCheck.Result>> checks) {
        boolean data = "true".equals(ctx.request().getParam("data"));
        threads.executeBlocking(() -> render(checks.apply(context), data), false).onComplete(done -> {
            if (ctx.response().ended()) {
                return;
            }
            if (done.failed()) {
                ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end("{\"status\":\"DOWN\",\"checks\":[]}");
                return;
            }
            Rendered rendered = done.result();
            ctx.response().setStatusCode(rendered.up() ? 200 : 503)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(rendered.json());
        });
    }

    private static Rendered render(Collection<HealthCheck.Result> results, boolean withData) throws Exception {
        boolean up = true;
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode checks = JSON.createArrayNode();
        for (HealthCheck.Result result : results) {
            boolean checkUp = result.getState() != HealthCheck.State.DOWN;
            up &= checkUp;
            ObjectNode check = checks.addObject();
            check.put("name", result.getCheck().getId());
            check.put("status", checkUp ? "UP" : "DOWN");
            result.getMessage().ifPresent(message -> check.put("message", message));
            if (withData && !result.getDetails().isEmpty()) {
                ObjectNode details = check.putObject("data");
                Map<String, Object> sorted = new TreeMap<>(result.getDetails());
                sorted.forEach((key, value) -> {
                    if (value instanceof Number || value instanceof Boolean) {
                        details.putPOJO(key, value);
                    } else {
                        details.put(key, String.valueOf(value));
                    }
                });
            }
        }
        answer.put("status", up ? "UP" : "DOWN");
        answer.set("checks", checks);
        return new Rendered(up, JSON.writeValueAsString(answer));
    }

    private record Rendered(boolean up, String json) {
    }
}
