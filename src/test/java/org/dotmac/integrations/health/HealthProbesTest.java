package org.dotmac.integrations.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Health probes are answered on threads of their own, not behind synchronous sends on the HTTP workers. */
class HealthProbesTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "gateway.http-worker-threads", "2",
            "email.sendgrid.read-timeout", "30000",
            "resilience.email.minimum-number-of-calls", "1000",
            "resilience.email.sliding-window-size", "1000"));

    @Test
    void probesAnswerWhileEveryHttpWorkerWaitsForASlowProvider() throws Exception {
        sendgrid.answer(aResponse().withStatus(202).withHeader("X-Message-Id", "sg-slow").withFixedDelay(5_000));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Future<Integer>> sends = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3; i++) {
                sends.add(callers.submit(() -> gateway.postJson("/api/v1/notifications/email?wait=true",
                        "{\"to\":\"ana@example.com\",\"subject\":\"slow\",\"content\":\"c\"}").statusCode()));
            }
            // both workers are taken: each holds a send the provider has not answered
            await().atMost(Duration.ofSeconds(5)).until(() -> sendgrid.requests().size() >= 2);

            for (String probe : List.of("/observe/health/live", "/observe/health/ready", "/observe/health?data=true")) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.httpPort() + probe)).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(probe + ": " + answer.body()).isEqualTo(200);
                assertThat(TestGateway.json(answer.body()).get("status").asText()).as(probe).isEqualTo("UP");
            }
            assertThat(sends).as("no send was answered while the probes were").noneMatch(Future::isDone);
            for (Future<Integer> send : sends) {
                assertThat(send.get()).isEqualTo(200);
            }
        }
    }
}
