import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends N queued email requests with CONCURRENCY in flight and writes the id of every one answered 202
 * (accepted: the gateway promised to deliver it) to OUT, one per line. Like a client, it repeats a call
 * that failed (no answer, or not 202) every 200 ms for up to 120 s, so a gateway that is restarted
 * meanwhile gets the rest. Prints accepted, retried and given-up counts.
 * With KEYS=true each request carries an Idempotency-Key (unique per request and run), so a repeat of a
 * call whose 202 was lost gets the first id instead of a second notification.
 * RATE (requests per second, 0 for as fast as the gateway answers) paces the starts, for a load that lasts.
 * Usage: java bench/Load.java URL N CONCURRENCY OUT [KEYS] [RATE]
 */
public class Load {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int n = Integer.parseInt(args[1]);
        Semaphore inFlight = new Semaphore(Integer.parseInt(args[2]));
        Path out = Path.of(args[3]);
        boolean keys = args.length > 4 && Boolean.parseBoolean(args[4]);
        double rate = args.length > 5 ? Double.parseDouble(args[5]) : 0;
        long startNanos = System.nanoTime();
        String run = Long.toString(System.nanoTime(), 36);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                if (rate > 0) {
                    long due = startNanos + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                inFlight.acquire();
                int number = i;
                pool.submit(() -> {
                    long deadline = System.currentTimeMillis() + 120_000;
                    try {
                        while (true) {
                            try {
                                HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10));
                                if (keys) {
                                    request.header("Idempotency-Key", "crash-" + run + "-" + number);
                                }
                                HttpResponse<String> response = http.send(request.header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"crash@example.com\",\"subject\":\"crash "
                                                + number + "\",\"content\":\"c\"}")).build(), HttpResponse.BodyHandlers.ofString());
                                if (response.statusCode() == 202) {
                                    accepted.add(response.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
                                    return;
                                }
                            } catch (Exception e) {
                                // no answer: the gateway is down or restarting
                            }
                            if (System.currentTimeMillis() > deadline) {
                                failed.incrementAndGet();
                                return;
                            }
                            retries.incrementAndGet();
                            Thread.sleep(200);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        Files.write(out, accepted);
        System.out.println("{\"sent\":" + n + ",\"accepted\":" + accepted.size() + ",\"retries\":" + retries.get()
                + ",\"gaveUp\":" + failed.get() + "}");
    }
}
