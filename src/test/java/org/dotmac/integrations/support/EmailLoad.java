package org.dotmac.integrations.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/notifications/email"))
                            .header("X-API-Key", TestGateway.API_KEY).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"to\":\"ana@example.com\",\"subject\":\"n" + n + "\",\"content\":\"c\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
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
}
