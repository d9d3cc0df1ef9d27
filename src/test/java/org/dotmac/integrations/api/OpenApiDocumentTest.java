package org.dotmac.integrations.api;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.spi.RestRegistry;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TwilioDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document served at /api/v1/openapi.json lists exactly the REST operations the gateway runs. */
class OpenApiDocumentTest {

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TwilioDouble twilio = TwilioDouble.start();

    /** With SendGrid and Twilio in use, so that their webhooks run too. */
    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(sendgrid.gatewaySettings(
            "sms.provider", "twilio", "sms.twilio.account-sid", TwilioDouble.ACCOUNT_SID,
            "sms.twilio.auth-token", TwilioDouble.AUTH_TOKEN, "sms.twilio.base-url", twilio.baseUrl(),
            "sms.twilio.from", TwilioDouble.FROM));

    @Test
    void documentListsEveryRestOperationAndNoOther() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode doc = TestGateway.json(response.body());
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        Set<String> documented = new HashSet<>();
        org.dotmac.integrations.support.OpenApiOperations.of(doc).forEach(operation -> documented.add(operation.name()));
        Set<String> running = new HashSet<>();
        for (RestRegistry.RestService service : gateway.gateway().context().getRestRegistry().listAllRestServices()) {
            running.add(service.getMethod().toUpperCase(Locale.ROOT) + " "
                    + service.getUrl().replaceAll("^https?://[^/]+", ""));
        }

        // storage is one platform-http route on a path prefix (keys contain '/'): it serves the listing
        // with GET and every object operation below it
        for (var endpoint : gateway.gateway().context().getComponent("platform-http", PlatformHttpComponent.class)
                .getHttpEndpoints()) {
            if (endpoint.getUri().startsWith("/webhooks/")) {
                for (String verb : endpoint.getVerbs().split(",")) {
                    running.add(verb.trim().toUpperCase(Locale.ROOT) + " " + endpoint.getUri());
                }
            }
            if (endpoint.getUri().equals("/api/v1/storage/objects")) {
                running.add("GET /api/v1/storage/objects");
                for (String verb : endpoint.getVerbs().split(",")) {
                    running.add(verb.trim().toUpperCase(Locale.ROOT) + " /api/v1/storage/objects/{key}");
                }
            }
        }
        assertThat(running).contains("PUT /api/v1/storage/objects/{key}");
        assertThat(documented).containsExactlyInAnyOrderElementsOf(running);
    }

    @Test
    void everyOperationAnswersItsErrorsAsProblems() throws Exception {
        JsonNode doc = TestGateway.json(gateway.get("/api/v1/openapi.json").body());
        doc.get("paths").forEach(path -> path.properties().stream().filter(e -> !e.getKey().equals("parameters") && !e.getKey().equals("servers"))
                .map(java.util.Map.Entry::getValue).forEach(operation -> {
            assertThat(operation.path("operationId").isTextual()).as("an operationId in " + operation).isTrue();
            String id = operation.get("operationId").asText();
            assertThat(operation.path("responses").has("401")).as(id + " documents 401").isTrue();
            assertThat(operation.at("/responses/default/$ref").asText()).as(id).isEqualTo("#/components/responses/Problem");
        }));
    }
}
