package org.dotmac.integrations.support;

import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/** Twilio's Messages.json create on loopback, checked against Twilio's official contract. */
public final class TwilioDouble extends ContractDouble {

    public static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    public static final String AUTH_TOKEN = TestSecrets.TWILIO_AUTH_TOKEN;
    /** An API key of the account (its secret is TestSecrets.TWILIO_API_KEY_SECRET). */
    public static final String API_KEY_SID = "SK0123456789abcdef0123456789abcdef";
    public static final String FROM = "+15005550006";
    public static final String PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";

    private TwilioDouble() {
        super("twilio-messages-create.json");
        accept();
    }

    public static TwilioDouble start() {
        return new TwilioDouble();
    }

    /** 201 with the created Message resource, as Twilio answers. */
    @Override
    public void accept() {
        answer(created("SM" + String.format("%032x", System.nanoTime()), "queued"));
    }

    public static ResponseDefinitionBuilder created(String sid, String status) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                {"account_sid": "%s", "api_version": "2010-04-01", "body": "body", "date_created": "Thu, 24 Aug 2023 05:01:45 +0000",
                 "date_sent": null, "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000", "direction": "outbound-api",
                 "error_code": null, "error_message": null, "from": "%s", "num_media": "0", "num_segments": "1",
                 "price": null, "price_unit": "USD", "messaging_service_sid": null, "sid": "%s", "status": "%s",
                 "subresource_uris": {}, "to": "+14155550100", "uri": "%s"}""".formatted(ACCOUNT_SID, FROM, sid, status, PATH));
    }

    /** Twilio's error document. */
    public static ResponseDefinitionBuilder error(int status, int code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("""
                {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}"""
                .formatted(code, message, code, status));
    }

    /**
     * Answers {@code response} to a message created with the account's credentials (its SID with any of
     * the tests' auth tokens but the revoked one, or its API key) and, as Twilio does, 401 error 20003 to
     * any other or none.
     */
    public void answer(ResponseDefinitionBuilder response) {
        server.resetMappings();
        server.stubFor(post(urlEqualTo(PATH)).atPriority(5).willReturn(error(401, 20003, "Authenticate")));
        server.stubFor(post(urlEqualTo(PATH)).atPriority(1).withHeader("Authorization", matching(ISSUED)).willReturn(response));
    }

    /**
     * Until the next {@link #answer} or test, a message created with {@code authToken} whose form body
     * contains {@code text} (form-encoded) is answered {@code response}.
     */
    public void answerToken(String authToken, String text, ResponseDefinitionBuilder response) {
        server.stubFor(post(urlEqualTo(PATH)).atPriority(0).withHeader("Authorization", equalTo(basic(ACCOUNT_SID, authToken)))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(text)).willReturn(response));
    }

    /** The HTTP basic credentials of the account SID with {@code authToken}, as Twilio receives them. */
    public static String authorization(String authToken) {
        return basic(ACCOUNT_SID, authToken);
    }

    /** The account's credentials as HTTP basic headers, as one regular expression. */
    private static final String ISSUED = TestSecrets.byName().entrySet().stream()
            .filter(secret -> secret.getKey().startsWith("TWILIO_AUTH_TOKEN") && !secret.getKey().contains("REVOKED"))
            .map(secret -> basic(ACCOUNT_SID, secret.getValue()))
            .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), headers -> {
                headers.add(basic(API_KEY_SID, TestSecrets.TWILIO_API_KEY_SECRET));
                return headers.stream().map(java.util.regex.Pattern::quote)
                        .collect(java.util.stream.Collectors.joining("|", "(", ")"));
            }));

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * As Twilio does for the account: creating a message and fetching the account take only
     * {@code authToken} (HTTP basic with the account SID), any other is 401 error 20003.
     */
    public void requireToken(String authToken) {
        server.resetMappings();
        String basic = basic(ACCOUNT_SID, authToken);
        String account = "/2010-04-01/Accounts/" + ACCOUNT_SID + ".json";
        server.stubFor(post(urlEqualTo(PATH)).atPriority(5).willReturn(error(401, 20003, "Authenticate")));
        server.stubFor(get(urlEqualTo(account)).atPriority(5).willReturn(error(401, 20003, "Authenticate")));
        server.stubFor(post(urlEqualTo(PATH)).atPriority(1).withHeader("Authorization", equalTo(basic))
                .willReturn(created("SM" + String.format("%032x", System.nanoTime()), "queued")));
        server.stubFor(get(urlEqualTo(account)).atPriority(1).withHeader("Authorization", equalTo(basic))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"auth_token": "", "date_created": "Thu, 24 Aug 2023 05:01:45 +0000",
                         "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000", "friendly_name": "gateway",
                         "owner_account_sid": "%s", "sid": "%s", "status": "active", "subresource_uris": {},
                         "type": "Full", "uri": "%s"}""".formatted(ACCOUNT_SID, ACCOUNT_SID, account))));
    }

    public List<LoggedRequest> accountFetches() {
        return server.findAll(getRequestedFor(urlEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + ".json")));
    }

    public List<LoggedRequest> requests() {
        return server.findAll(postRequestedFor(urlEqualTo(PATH)));
    }
}
