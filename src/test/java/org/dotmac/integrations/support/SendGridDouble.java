package org.dotmac.integrations.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * SendGrid's v3 mail/send on loopback, checked against SendGrid's official contract.
 */
public final class SendGridDouble extends ContractDouble {

    public static final String API_KEY = TestSecrets.SENDGRID_API_KEY;

    private SendGridDouble() {
        super("sendgrid-mail-send.json");
        accept();
    }

    /** Started at once, so that the gateway can be pointed at it; register it as an extension to stop it. */
    public static SendGridDouble start() {
        return new SendGridDouble();
    }

    /** Gateway properties that send email through this double, plus {@code more} (key, value, ...). */
    public Map<String, String> gatewaySettings(String... more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "email.provider", "sendgrid",
                "email.sendgrid.base-url", baseUrl(),
                "email.sendgrid.api-key", API_KEY));
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    /** The same as environment variables, for a gateway process. */
    public Map<String, String> gatewayEnvironment() {
        return Map.of("EMAIL__PROVIDER", "sendgrid", "EMAIL__SENDGRID__BASE_URL", baseUrl(),
                "EMAIL__SENDGRID__API_KEY", API_KEY);
    }

    /** Answers 202 with an X-Message-Id, as SendGrid does. */
    @Override
    public void accept() {
        answer(aResponse().withStatus(202).withHeader("X-Message-Id", "sg-" + System.nanoTime()));
    }

    /**
     * Answers {@code response} to a mail/send with one of the account's keys (every SendGrid key of
     * {@link TestSecrets} but the revoked one) and, as SendGrid does, 401 with its error document to any
     * other key or none.
     */
    public void answer(ResponseDefinitionBuilder response) {
        server.resetMappings();
        server.stubFor(post(urlEqualTo("/v3/mail/send")).atPriority(5).willReturn(REFUSED));
        server.stubFor(post(urlEqualTo("/v3/mail/send")).atPriority(1)
                .withHeader("Authorization", matching("Bearer (" + String.join("|", ISSUED) + ")")).willReturn(response));
    }

    /** Until the next {@link #answer} or test, a mail/send with {@code key} whose body contains {@code text} is answered {@code response}. */
    public void answerKey(String key, String text, ResponseDefinitionBuilder response) {
        server.stubFor(post(urlEqualTo("/v3/mail/send")).atPriority(0).withHeader("Authorization", equalTo("Bearer " + key))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(text)).willReturn(response));
    }

    /** SendGrid's 500, with the error document its contract gives it. */
    public static ResponseDefinitionBuilder serverError() {
        return aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"message\":\"internal error\"}]}");
    }

    /** SendGrid's answer to a key it does not know. */
    private static final ResponseDefinitionBuilder REFUSED = aResponse().withStatus(401).withHeader("Content-Type", "application/json")
            .withBody("{\"errors\":[{\"field\":null,\"message\":\"The provided authorization grant is invalid, expired, or revoked\"}]}");

    /** The keys the account has issued, quoted for a regular expression. */
    private static final List<String> ISSUED = TestSecrets.byName().entrySet().stream()
            .filter(secret -> secret.getValue().startsWith("SG.") && !secret.getKey().contains("REVOKED"))
            .map(secret -> java.util.regex.Pattern.quote(secret.getValue())).toList();

    /**
     * As SendGrid does for one account: mail/send and GET /v3/scopes take only {@code key}, any other is
     * 401 with SendGrid's error document.
     */
    public void requireKey(String key) {
        server.resetMappings();
        server.stubFor(post(urlEqualTo("/v3/mail/send")).atPriority(5).willReturn(REFUSED));
        server.stubFor(get(urlEqualTo("/v3/scopes")).atPriority(5).willReturn(REFUSED));
        server.stubFor(post(urlEqualTo("/v3/mail/send")).atPriority(1).withHeader("Authorization", equalTo("Bearer " + key))
                .willReturn(aResponse().withStatus(202).withHeader("X-Message-Id", "sg-" + System.nanoTime())));
        server.stubFor(get(urlEqualTo("/v3/scopes")).atPriority(1).withHeader("Authorization", equalTo("Bearer " + key))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"scopes\":[\"mail.send\"]}")));
    }

    /** GET /v3/scopes answers {@code status} to every key (403: a key that may not read its scopes). */
    public void answerScopes(int status) {
        server.stubFor(get(urlEqualTo("/v3/scopes")).atPriority(0).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"errors\":[{\"field\":null,\"message\":\"access forbidden\"}]}")));
    }

    public List<LoggedRequest> scopeRequests() {
        return server.findAll(getRequestedFor(urlEqualTo("/v3/scopes")));
    }

    public List<LoggedRequest> requests() {
        return server.findAll(postRequestedFor(urlEqualTo("/v3/mail/send")));
    }

    /** The gateway ids of every mail/send received, in order, duplicates included. */
    public List<String> deliveredIds() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (LoggedRequest request : requests()) {
            ids.add(gatewayId(request.getBodyAsString()));
        }
        return ids;
    }

    /** The gateway ids of the mail/sends this double answered 2xx (took for delivery), duplicates included. */
    public List<String> acceptedIds() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (LoggedRequest request : answered2xx()) {
            ids.add(gatewayId(request.getBodyAsString()));
        }
        return ids;
    }

    private List<LoggedRequest> answered2xx() {
        return server.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().equals("/v3/mail/send")
                        && event.getResponse().getStatus() >= 200 && event.getResponse().getStatus() < 300)
                .map(event -> event.getRequest()).toList();
    }

    /** A mail/send this double answered 2xx: its subject, the Authorization it came with and when it arrived. */
    public record Taken(String subject, String authorization, long receivedAt, String gatewayId) {
    }

    /** Every mail/send answered 2xx, oldest first, duplicates included. */
    public List<Taken> taken() throws Exception {
        List<Taken> taken = new java.util.ArrayList<>();
        for (LoggedRequest request : answered2xx()) {
            JsonNode body = TestGateway.JSON.readTree(request.getBodyAsString());
            taken.add(new Taken(body.path("subject").asText(body.at("/personalizations/0/subject").asText()),
                    request.getHeader("Authorization"), request.getLoggedDate().getTime(),
                    body.at("/personalizations/0/custom_args/gateway_message_id").asText()));
        }
        taken.sort(java.util.Comparator.comparingLong(Taken::receivedAt));
        return taken;
    }

    public static String gatewayId(String mailSend) throws Exception {
        return TestGateway.JSON.readTree(mailSend).at("/personalizations/0/custom_args/gateway_message_id").asText();
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
}
