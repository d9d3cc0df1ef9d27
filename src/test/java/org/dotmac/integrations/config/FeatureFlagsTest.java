package org.dotmac.integrations.config;

import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Email switched off through the platform's own environment name: its provider and consumer routes
 * do not exist, every door refuses it with 503 naming the flag, and health and the report say DISABLED.
 */
class FeatureFlagsTest {

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(), Map.of("FEATURES__EMAIL_ENABLED", "false"));

    @Test
    void disabledIntegrationHasNoProviderOrConsumerRoutes() {
        CamelContext context = gateway.gateway().context();
        assertThat(context.getRoute("email-outbox")).isNull();
        assertThat(context.getRoute("jms-email")).isNull();
        assertThat(context.hasEndpoint("direct://email-outbox")).isNull();
        assertThat(context.getRoute("sms-outbox")).isNotNull();
        assertThat(context.getRoute("jms-sms")).isNotNull();
    }

    @Test
    void restAnswers503NamingTheFlag() throws Exception {
        HttpResponse<String> direct = gateway.postJson("/api/v1/notifications/email",
                "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\"}");
        HttpResponse<String> generic = gateway.postJson("/api/v1/notifications",
                "{\"type\":\"email\",\"recipient\":\"a@b.com\",\"message\":\"m\"}");

        for (HttpResponse<String> response : new HttpResponse[] {direct, generic}) {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(TestGateway.json(response.body()).get("detail").asText()).contains("FEATURES__EMAIL_ENABLED=true");
        }
    }

    @Test
    void directAnswersTheSameProblem() {
        Throwable thrown = catchThrowable(() -> gateway.direct("direct:email-send",
                "{\"to\":\"a@b.com\",\"subject\":\"s\",\"content\":\"c\"}"));
        assertThat(thrown).isInstanceOf(CamelExecutionException.class);
        assertThat(((ProblemException) thrown.getCause()).status()).isEqualTo(503);
    }

    @Test
    void otherIntegrationsKeepWorking() throws Exception {
        assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true", "{\"to\":\"+14155550100\",\"message\":\"m\"}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void reportAndHealthShowDisabledAsHealthy() throws Exception {
        JsonNode email = TestGateway.json(gateway.get("/api/v1/integrations/email").body());
        assertThat(email.get("enabled").asBoolean()).isFalse();
        assertThat(email.get("status").asText()).isEqualTo("DISABLED");
        assertThat(email.get("message").asText()).contains("FEATURES__EMAIL_ENABLED");

        JsonNode report = TestGateway.json(gateway.get("/api/v1/integrations").body());
        assertThat(report.get("total").asInt()).isEqualTo(4);
        assertThat(report.get("healthy").asInt()).isEqualTo(4);
        assertThat(report.get("error").asInt()).isZero();

        HttpResponse<String> ready = gateway.get("/observe/health?data=true");
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode check = TestGateway.healthCheck(TestGateway.json(ready.body()), "integration-email");
        assertThat(check.get("status").asText()).isEqualTo("UP");
        assertThat(check.get("message").asText()).startsWith("DISABLED (provider outbox)");
        assertThat(check.at("/data/status").asText()).isEqualTo("DISABLED");
        assertThat(check.at("/data/provider").asText()).isEqualTo("outbox");
    }
}
