package org.dotmac.integrations.api;

import org.dotmac.integrations.core.HttpNames;

import org.dotmac.integrations.core.BodyBudget;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.Problems;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.dotmac.integrations.storage.StorageKeys;

/**
 * What the HTTP server decides before a request reaches a route: the API key on every /api path,
 * and problem+json instead of Vert.x's own plain answers for an unknown path (404), a wrong method
 * (405) and an oversized body (413); and how many large bodies may be buffered at once ({@link BodyBudget}).
 */
public class HttpGatekeeper extends ServiceSupport implements CamelContextAware {

    static final String STORAGE_OBJECTS = HttpNames.STORAGE_OBJECTS;
    public static final String CALLER = HttpNames.CALLER;
    public static final String DECLARED_LENGTH = HttpNames.DECLARED_LENGTH;
    /** A webhook's own Content-Type, when the gatekeeper kept its form body from being decoded. */
    public static final String WEBHOOK_CONTENT_TYPE = "X-Gateway-Webhook-Content-Type";

    private final ApiKeyRing keys;
    private final BodyBudget bodies;
    private final int port;
    private CamelContext camelContext;

    public HttpGatekeeper(ApiKeyRing keys, BodyBudget bodies, int port) {
        this.keys = keys;
        this.bodies = bodies;
        this.port = port;
    }

    /** The router of the HTTP server on {@code port}, which the gateway's own handlers are added to. */
    @Override
    protected void doStart() {
        VertxPlatformHttpRouter router = HttpNames.router(camelContext, port);
        // routing normalises dot segments away (objects/%2e%2e/x becomes /api/v1/storage/x): check storage
        // keys on the path as sent, so that such a request is refused as a bad key instead of routed elsewhere
        router.route("/api/*").order(-1000).handler(this::requireApiKey);
        router.route().order(-999).handler(HttpGatekeeper::rawStorageKey);
        router.route("/api/*").order(-998).handler(HttpGatekeeper::declaredLength);
        // after the key (an unauthenticated caller reserves nothing), before any body handler reads a body
        router.route("/api/*").order(-997).handler(bodies::handle);
        // the providers' webhooks take no API key (their signatures are checked), but draw on the same budget
        router.route("/webhooks/*").order(-997).handler(bodies::handle);
        router.route("/webhooks/*").order(-996).handler(HttpGatekeeper::unparsedForm);
        // Camel mounts this router below the server's root router, whose error handlers cannot be
        // reached: failures (413 from the body handler) and requests no route takes are answered here
        router.route().order(-1000).failureHandler(HttpGatekeeper::failure);
        router.route().last().handler(ctx -> unrouted(ctx, router));
    }

    private static void rawStorageKey(RoutingContext ctx) {
        String raw = ctx.request().path();
        if (raw != null && raw.startsWith(STORAGE_OBJECTS)) {
            try {
                StorageKeys.fromPath(raw.substring(STORAGE_OBJECTS.length()));
            } catch (ProblemException e) {
                ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                        .end(Problems.json(e, raw));
                return;
            }
        }
        ctx.next();
    }

    /**
     * A provider signs the form body it sent: the body handler would decode a form into attributes and
     * leave no body, so a webhook's form reaches its route as the bytes received (the original media
     * type in {@value #WEBHOOK_CONTENT_TYPE}).
     */
    private static void unparsedForm(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            ctx.request().headers().set(WEBHOOK_CONTENT_TYPE, type);
            ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        }
        ctx.next();
    }

    /**
     * platform-http sends every stream chunked; a route that knows the length of its stream (a stored
     * object) says so in {@value #DECLARED_LENGTH}, which becomes the Content-Length.
     */
    private static void declaredLength(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            String length = ctx.response().headers().get(DECLARED_LENGTH);
            if (length != null) {
                ctx.response().headers().remove(DECLARED_LENGTH);
                ctx.response().setChunked(false);
                ctx.response().putHeader(HttpHeaders.CONTENT_LENGTH, length);
            }
        });
        ctx.next();
    }

    private static void failure(RoutingContext ctx) {
        int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
        switch (status) {
            case 413 -> problem(ctx, 413, "Content Too Large",
                    "the request body is larger than the gateway accepts (camel.server.max-body-size)");
            case 400 -> problem(ctx, 400, "Bad Request", "the request could not be read");
            default -> problem(ctx, status, status >= 500 ? "Internal Server Error" : "Request failed",
                    "the request could not be completed");
        }
    }

    /** Nothing took the request: 405 with Allow when the path exists under another method, else 404. */
    private static void unrouted(RoutingContext ctx, VertxPlatformHttpRouter router) {
        String path = ctx.normalizedPath();
        Set<String> allowed = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String template = route.getPath();
            if (template == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            if (path.matches(toRegex(template))) {
                route.methods().forEach(m -> allowed.add(m.name()));
            }
        }
        if (!allowed.isEmpty()) {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
            problem(ctx, 405, "Method Not Allowed", ctx.request().method() + " is not allowed on " + path
                    + "; allowed: " + String.join(", ", allowed));
        } else {
            problem(ctx, 404, "Not Found", "no resource at " + path + "; the API is described at /api/v1/openapi.json");
        }
    }

    private static String toRegex(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=[:/])")) {
            if (part.startsWith(":")) {
                regex.append("[^/]+");
            } else if (part.endsWith("*")) {
                regex.append(Pattern.quote(part.substring(0, part.length() - 1))).append(".*");
            } else {
                regex.append(Pattern.quote(part));
            }
        }
        return regex.toString();
    }

    private void requireApiKey(RoutingContext ctx) {
        ApiKeys current = keys.current();
        // only the gateway names the caller: whatever a request sent under that name is dropped
        ctx.request().headers().remove(CALLER);
        if (!current.isConfigured()) {
            ctx.request().headers().set(CALLER, "local");
            ctx.next();
            return;
        }
        String caller = current.callerOf(presentedKey(ctx));
        if (caller != null) {
            ctx.request().headers().set(CALLER, caller);
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        problem(ctx, 401, "Unauthorized", "send a valid API key in the X-API-Key header or as Authorization: Bearer <key>");
    }

    private static String presentedKey(RoutingContext ctx) {
        String key = ctx.request().getHeader("X-API-Key");
        if (key != null) {
            return key.trim();
        }
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    private static void problem(RoutingContext ctx, int status, String title, String detail) {
        if (ctx.response().ended()) {
            return;
        }
        String path = ctx.request().path();
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .end(Problems.json(status, title, detail, path, null));
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
