package org.dotmac.integrations.health;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Liveness, readiness with one check per integration and the broker, and the Prometheus metrics. */
class HealthAndMetricsTest {

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass();

    @Test
    void healthHasACheckPerIntegrationAndTheBrokerAndReadinessOnlyTheBroker() throws Exception {
        JsonNode readiness = TestGateway.json(gateway.get("/observe/health/ready?data=true").body());
        assertThat(readiness.get("checks").findValuesAsText("name")).contains("jms-broker")
                .noneMatch(name -> name.startsWith("integration-"));
        HttpResponse<String> ready = gateway.get("/observe/health?data=true");

        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode health = TestGateway.json(ready.body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(TestGateway.healthCheck(health, "integration-email").get("message").asText()).startsWith("READY (provider outbox)");
        assertThat(TestGateway.healthCheck(health, "integration-sms").at("/data/status").asText()).isEqualTo("READY");
        assertThat(TestGateway.healthCheck(health, "integration-storage").at("/data/status").asText()).isEqualTo("READY");
        assertThat(TestGateway.healthCheck(health, "integration-search").at("/data/status").asText()).isEqualTo("DISABLED");
        assertThat(TestGateway.healthCheck(health, "integration-search").get("status").asText()).isEqualTo("UP");
        assertThat(TestGateway.healthCheck(health, "jms-broker").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void livenessDoesNotIncludeIntegrationChecks() throws Exception {
        HttpResponse<String> live = gateway.get("/observe/health/live");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).doesNotContain("integration-").doesNotContain("jms-broker");
    }

    @Test
    void metricsCountProviderCallsByOutcomeAndTimeThem() throws Exception {
        double before = metric(scrape(), "integration_requests_total", "integration=\"sms\",outcome=\"success\",provider=\"outbox\"");
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true", "{\"to\":\"+14155550100\",\"message\":\"m\"}")
                    .statusCode()).isEqualTo(200);
        }
        String metrics = scrape();

        assertThat(metric(metrics, "integration_requests_total", "integration=\"sms\",outcome=\"success\",provider=\"outbox\""))
                .isEqualTo(before + 3);
        assertThat(metric(metrics, "integration_request_duration_seconds_count",
                "integration=\"sms\",outcome=\"success\",provider=\"outbox\"")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void metricsHaveTheIntegrationGaugesCamelAndJvm() throws Exception {
        String metrics = scrape();

        assertThat(metric(metrics, "integrations_total", "")).isEqualTo(4);
        assertThat(metric(metrics, "integrations_healthy", "")).isEqualTo(4);
        assertThat(metric(metrics, "integrations_error", "")).isZero();
        assertThat(metrics).contains("camel_exchanges_total").contains("routeId=\"email-send\"")
                .contains("jvm_memory_used_bytes").contains("process_cpu_usage");
    }

    @Test
    void timesEachRestOperationOnceWithoutItsInnerHops() throws Exception {
        // counted from here: the class's other tests call these routes too
        String earlier = scrape();
        var sent = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"timed\",\"content\":\"c\"}");
        assertThat(sent.statusCode()).isEqualTo(200);
        // the REST operations of every route file alike (the REST configuration once applied only to the
        // files loaded after it)
        assertThat(gateway.get("/api/v1/dead-letters").statusCode()).isEqualTo(200);
        String metrics = scrape();

        for (String route : List.of("post-email", "get-dead-letters", "email-send")) {
            assertThat(exchanges(metrics, route)).as(route).isEqualTo(exchanges(earlier, route) + 1);
        }
        assertThat(metrics).as("the REST door's direct:api-* hops and the context-wide series are not timed")
                .doesNotContain("routeId=\"api-email\"").doesNotContain("routeId=\"api-notification-dispatch\"")
                .doesNotContain("routeId=\"api-dead-letters\"").doesNotContain("routeId=\"\"");
    }

    @Test
    void keepsTheRouteGaugesWithoutExchangeEvents() throws Exception {
        String metrics = scrape();

        assertThat(metric(metrics, "camel_routes_running_routes", "")).isGreaterThan(10);
        assertThat(metric(metrics, "camel_routes_added_routes", "")).isGreaterThan(10);
        assertThat(gateway.gateway().context().getCamelContextExtension().isEventNotificationApplicable())
                .as("no notifier listens to exchange events, so Camel creates none").isFalse();
    }

    @Test
    void aBrokerOutageFailsReadinessButNotLiveness() throws Exception {
        int nothingListens = TestGateway.freePort();
        try (TestGateway withoutBroker = TestGateway.startAlive(Map.of("jms.broker-url", "tcp://127.0.0.1:" + nothingListens))) {
            HttpResponse<String> ready = withoutBroker.get("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(TestGateway.healthCheck(TestGateway.json(ready.body()), "jms-broker").get("status").asText()).isEqualTo("DOWN");
            assertThat(withoutBroker.get("/observe/health/live").statusCode()).isEqualTo(200);
        }
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = gateway.send(gateway.request("/observe/metrics").GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** camel_exchanges_total of one route, whatever its other labels. */
    private static double exchanges(String metrics, String route) {
        Matcher m = Pattern.compile("^camel_exchanges_total\\{[^}]*routeId=\"" + Pattern.quote(route) + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double metric(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + (labels.isEmpty() ? "(\\{[^}]*})?" : "\\{" + Pattern.quote(labels) + "}")
                + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(m.groupCount())) : 0;
    }
}
