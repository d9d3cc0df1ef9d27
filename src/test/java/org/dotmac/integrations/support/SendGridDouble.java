package org.dotmac.integrations.support;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SendGrid's v3 mail/send on loopback (WireMock). After each test every request it received is
 * checked against SendGrid's official contract; a violation fails that test.
 */
public final class SendGridDouble implements AfterEachCallback, AfterAllCallback {

    public static final String API_KEY = "SG.test-key.0123456789abcdefghijklmnopqrstuvwxyz";

    private final WireMockServer server;
    private final ContractValidator contract = ContractValidator.forContract("sendgrid-mail-send.json");

    private SendGridDouble() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        accept();
    }

    /** Started at once, so that the gateway can be pointed at it; register it as an extension to stop it. */
    public static SendGridDouble start() {
        return new SendGridDouble();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Answers 202 with an X-Message-Id, as SendGrid does. */
    public void accept() {
        answer(aResponse().withStatus(202).withHeader("X-Message-Id", "sg-" + System.nanoTime()));
    }

    public void answer(ResponseDefinitionBuilder response) {
        server.resetMappings();
        server.stubFor(post(urlEqualTo("/v3/mail/send")).willReturn(response));
    }

    public List<LoggedRequest> requests() {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/v3/mail/send")));
    }

    /** The mail/send body that carried the gateway's id in its custom_args, or null. */
    public JsonNode mailSendFor(String id) throws Exception {
        for (LoggedRequest request : requests()) {
            JsonNode body = TestGateway.JSON.readTree(request.getBodyAsString());
            if (id.equals(body.at("/personalizations/0/custom_args/gateway_message_id").asText(null))) {
                return body;
            }
        }
        return null;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> violations = new ArrayList<>();
        server.getAllServeEvents().forEach(event -> violations.addAll(contract.violations(event.getRequest())));
        server.resetRequests();
        accept();
        assertThat(violations).as("requests that break SendGrid's contract").isEmpty();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop();
    }
}
