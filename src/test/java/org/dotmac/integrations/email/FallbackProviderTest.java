package org.dotmac.integrations.email;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** EMAIL__FALLBACK_PROVIDERS=smtp: a real mail server takes over while SendGrid is unavailable. */
class FallbackProviderTest {

    static final int SMTP_PORT = port();

    @RegisterExtension
    static final GreenMailExtension mail = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(), Map.of(
            "EMAIL__PROVIDER", "sendgrid",
            "EMAIL__FALLBACK_PROVIDERS", "smtp",
            "EMAIL__SENDGRID__BASE_URL", sendgrid.baseUrl(),
            "EMAIL__SENDGRID__API_KEY", SendGridDouble.API_KEY,
            "EMAIL__SMTP__HOST", "127.0.0.1",
            "EMAIL__SMTP__PORT", String.valueOf(SMTP_PORT),
            "RESILIENCE__EMAIL__WAIT_DURATION_IN_OPEN_STATE", "1s"));

    @BeforeEach
    void sendgridIsBack() throws Exception {
        sendgrid.accept();
        // the breaker a previous test opened closes again; what the fallback took meanwhile is cleared
        await().atMost(Duration.ofSeconds(10)).until(() -> provider(send()).equals("sendgrid"));
        mail.purgeEmailFromAllMailboxes();
    }

    @Test
    void theFallbackServesWhileTheProviderIsUnavailableAndTheResultNamesIt() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));

        HttpResponse<String> response = send();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(provider(response)).isEqualTo("smtp");
        assertThat(mail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void anOpenBreakerSendsStraightToTheFallbackAndTheIntegrationStaysHealthy() throws Exception {
        sendgrid.answer(aResponse().withStatus(503));
        for (int i = 0; i < 5; i++) {
            assertThat(provider(send())).isEqualTo("smtp");
        }
        int calls = sendgrid.requests().size();

        assertThat(provider(send())).isEqualTo("smtp");
        assertThat(sendgrid.requests()).as("nothing sent through the open breaker").hasSize(calls);
        JsonNode email = TestGateway.json(gateway.get("/api/v1/integrations/email").body());
        assertThat(email.get("status").asText()).isEqualTo("READY");
        assertThat(email.get("message").asText()).startsWith("degraded").contains("smtp serves meanwhile");
        assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestTheProviderRefusesIsNotSentElsewhere() throws Exception {
        sendgrid.answer(aResponse().withStatus(400).withBody("{\"errors\":[{\"message\":\"bad\",\"field\":\"x\"}]}"));

        assertThat(send().statusCode()).isEqualTo(400);
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void aProviderThatRefusesOurCredentialsHandsTheRequestToTheFallback() throws Exception {
        sendgrid.answer(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"field\":null,\"message\":\"The provided authorization grant is invalid\"}]}"));

        HttpResponse<String> response = send();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(provider(response)).isEqualTo("smtp");
        assertThat(mail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void theChainIsCamelsFailoverLoadBalancerInTheRouteModelInOrder() {
        var context = gateway.gateway().context();
        var route = context.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                .getRouteDefinition("email-providers");
        var balancer = (org.apache.camel.model.LoadBalanceDefinition) route.getOutputs().getFirst();
        var failover = (org.apache.camel.model.loadbalancer.FailoverLoadBalancerDefinition) balancer.getLoadBalancerType();

        assertThat(failover.getExceptionTypes()).containsExactly(org.dotmac.integrations.core.ProviderUnavailableException.class,
                org.dotmac.integrations.core.ProviderMisconfiguredException.class);
        assertThat(balancer.getOutputs()).extracting(o -> ((org.apache.camel.model.ToDefinition) o).getUri())
                .containsExactly("direct:email-sendgrid", "direct:email-smtp");
    }

    @Test
    void queuedRequestsUseTheFallbackToo() throws Exception {
        sendgrid.answer(SendGridDouble.serverError());
        JsonNode result = TestGateway.json(gateway.requestJms("integrations.email",
                "{\"to\":\"ana@example.com\",\"subject\":\"via jms\",\"content\":\"c\"}"));

        assertThat(result.get("provider").asText()).isEqualTo("smtp");
    }

    private static HttpResponse<String> send() throws Exception {
        return gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");
    }

    private static String provider(HttpResponse<String> response) throws IOException {
        JsonNode body = TestGateway.json(response.body());
        return body.has("provider") ? body.get("provider").asText() : "status " + response.statusCode();
    }

    private static int port() {
        try {
            return TestGateway.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
