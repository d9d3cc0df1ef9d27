import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * A local stand-in for SendGrid's v3 mail/send for the benchmarks: answers every POST 202 with an
 * X-Message-Id after DELAY_MS, and counts. GET /stats answers {"count":..,"firstMs":..,"lastMs":..,"unique":..}
 * (epoch ms of the first and last POST; unique: distinct gateway ids, from each mail/send's custom_args);
 * GET /ids lists every id received, one per line, repeats included. POST /outage?seconds=S: every
 * mail/send answers 503 for S seconds (counted as "refused", not as received).
 *
 * On Vert.x with one event loop and a timer per delayed answer, because the stub shares the machine's
 * cores with the gateway it measures: the JDK's HttpServer on virtual threads took ~70 µs of CPU per
 * request, a third of the 2 cores at the synchronous benchmark's rate.
 * Usage: java -cp 'target/lib/*' bench/ProviderStub.java PORT [DELAY_MS]
 */
public class ProviderStub {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        long delay = args.length > 1 ? Long.parseLong(args[1]) : 0;
        AtomicLong count = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        AtomicLong outageUntil = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Pattern gatewayId = Pattern.compile("\"gateway_message_id\"\\s*:\\s*\"([^\"]+)\"");
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        Set<String> unique = ConcurrentHashMap.newKeySet();

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                .setAcceptBacklog(1024).setHandle100ContinueAutomatically(true);
        vertx.createHttpServer(options).requestHandler(request -> request.body().onSuccess(body -> {
            String path = request.path();
            if (path.equals("/v3/mail/send") && request.method() == HttpMethod.POST) {
                if (System.currentTimeMillis() < outageUntil.get()) {
                    refused.incrementAndGet();
                    request.response().setStatusCode(503).end();
                    return;
                }
                Matcher id = gatewayId.matcher(body.toString(StandardCharsets.UTF_8));
                if (id.find()) {
                    ids.add(id.group(1));
                    unique.add(id.group(1));
                }
                if (delay > 0) {
                    vertx.setTimer(delay, timer -> accepted(request, count, first, last));
                } else {
                    accepted(request, count, first, last);
                }
            } else if (path.equals("/stats")) {
                json(request, String.format("{\"count\":%d,\"firstMs\":%d,\"lastMs\":%d,\"unique\":%d,\"refused\":%d}",
                        count.get(), first.get(), last.get(), unique.size(), refused.get()));
            } else if (path.equals("/outage")) {
                long seconds = Long.parseLong(request.getParam("seconds"));
                outageUntil.set(System.currentTimeMillis() + seconds * 1000);
                json(request, "{\"outageUntilMs\":" + outageUntil.get() + "}");
            } else if (path.equals("/ids")) {
                request.response().end(String.join("\n", ids));
            } else if (path.equals("/reset")) {
                count.set(0);
                ids.clear();
                unique.clear();
                first.set(0);
                last.set(0);
                json(request, "{}");
            } else {
                request.response().setStatusCode(404).end();
            }
        })).listen().toCompletionStage().toCompletableFuture().join();
        System.out.println("provider stub on 127.0.0.1:" + port + ", delay " + delay + " ms");
    }

    private static void accepted(HttpServerRequest request, AtomicLong count, AtomicLong first, AtomicLong last) {
        long now = System.currentTimeMillis();
        first.compareAndSet(0, now);
        last.set(now);
        long n = count.incrementAndGet();
        request.response().setStatusCode(202).putHeader("X-Message-Id", "stub-" + n).end();
    }

    private static void json(HttpServerRequest request, String body) {
        request.response().putHeader("Content-Type", "application/json").end(body);
    }
}
