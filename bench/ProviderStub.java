import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for SendGrid's v3 mail/send for the benchmarks: answers every POST 202 with an
 * X-Message-Id after DELAY_MS (on virtual threads, so the delay limits no concurrency), and counts.
 * GET /stats answers {"count":..,"firstMs":..,"lastMs":..,"unique":..} (epoch ms of the first and last
 * POST; unique: distinct gateway ids, from each mail/send's custom_args); GET /ids lists every id received,
 * one per line, repeats included. POST /outage?seconds=S: every mail/send answers 503 for S seconds
 * (counted as "refused", not as received).
 * Usage: java bench/ProviderStub.java PORT [DELAY_MS]
 */
public class ProviderStub {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long delay = args.length > 1 ? Long.parseLong(args[1]) : 0;
        AtomicLong count = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        Pattern gatewayId = Pattern.compile("\"gateway_message_id\"\\s*:\\s*\"([^\"]+)\"");
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        Set<String> unique = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        AtomicLong outageUntil = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        server.createContext("/v3/mail/send", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (System.currentTimeMillis() < outageUntil.get()) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            Matcher id = gatewayId.matcher(body);
            if (id.find()) {
                ids.add(id.group(1));
                unique.add(id.group(1));
            }
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long now = System.currentTimeMillis();
            first.compareAndSet(0, now);
            last.set(now);
            long n = count.incrementAndGet();
            exchange.getResponseHeaders().add("X-Message-Id", "stub-" + n);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.createContext("/stats", exchange -> respond(exchange, String.format(
                "{\"count\":%d,\"firstMs\":%d,\"lastMs\":%d,\"unique\":%d,\"refused\":%d}", count.get(), first.get(), last.get(),
                unique.size(), refused.get())));
        server.createContext("/outage", exchange -> {
            long seconds = Long.parseLong(exchange.getRequestURI().getQuery().replaceAll("\\D", ""));
            outageUntil.set(System.currentTimeMillis() + seconds * 1000);
            respond(exchange, "{\"outageUntilMs\":" + outageUntil.get() + "}");
        });
        server.createContext("/ids", exchange -> respond(exchange, String.join("\n", ids)));
        server.createContext("/reset", exchange -> {
            count.set(0);
            ids.clear();
            unique.clear();
            first.set(0);
            last.set(0);
            respond(exchange, "{}");
        });
        server.start();
        System.out.println("provider stub on 127.0.0.1:" + port + ", delay " + delay + " ms");
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
