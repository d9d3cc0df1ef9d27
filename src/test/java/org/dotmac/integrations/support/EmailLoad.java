package org.dotmac.integrations.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Many asynchronous email requests from 8 concurrent callers, as other services would send them. */
public final class EmailLoad {

    private EmailLoad() {
    }

    /** Sends {@code count} emails to the gateway on {@code port}; returns the ids of the accepted ones (all of them). */
    public static List<String> accept(int port, int count) throws Exception {
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                calls.add(callers.submit(() -> {
                    HttpResponse<String> response = http.send(email(port, "n" + n), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(202);
                    accepted.add(TestGateway.json(response.body()).get("id").asText());
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            callers.shutdown();
        }
        return accepted;
    }

    /**
     * One caller sending emails one after another until {@code going} turns false, as a service that
     * keeps retrying would; adds the ids of the 202 answers and returns how many calls got none (a
     * call a crash cuts off was never accepted).
     */
    public static int acceptWhile(int port, BooleanSupplier going, List<String> accepted) {
        HttpClient http = HttpClient.newHttpClient();
        int refused = 0;
        for (int n = 0; going.getAsBoolean(); n++) {
            try {
                HttpResponse<String> response = http.send(email(port, "while " + n), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    accepted.add(TestGateway.json(response.body()).get("id").asText());
                    continue;
                }
            } catch (Exception e) {
                // the gateway is gone or did not answer in time: not accepted
            }
            refused++;
        }
        return refused;
    }

    private static HttpRequest email(int port, String subject) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/notifications/email"))
                .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"to\":\"ana@example.com\",\"subject\":\"" + subject + "\",\"content\":\"c\"}")).build();
    }
}
