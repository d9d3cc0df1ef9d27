package org.dotmac.integrations.support;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Vault's KV v2 read on loopback, as Vault answers it: {@code GET /v1/<mount>/data/<path>} with
 * {@code X-Vault-Token}; a wrong token is 403 {@code {"errors":["permission denied"]}}, a missing
 * path 404 {@code {"errors":[]}}. Requests are checked against Vault's official contract; the
 * {@code data} of an answer is the contract's KvV2ReadResponse ({@code data}, {@code metadata}).
 */
public final class VaultDouble extends ContractDouble {

    public static final String TOKEN = TestSecrets.VAULT_TOKEN;

    private VaultDouble() {
        super(ContractValidator.forContract("vault-kv-v2-read.json").withGreedyTailAfter("/data/").withResponsesIn("data"));
        server.stubFor(any(urlPathMatching("/v1/.*")).atPriority(10)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json").withBody("{\"errors\":[]}")));
        server.stubFor(any(urlPathMatching("/v1/.*")).atPriority(1)
                .withHeader("X-Vault-Token", com.github.tomakehurst.wiremock.client.WireMock.notMatching(TOKEN))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[\"permission denied\"]}")));
    }

    public static VaultDouble start() {
        return new VaultDouble();
    }

    public String address() {
        return baseUrl();
    }

    /** Writes (or rewrites: a new version) the secret at mount "secret". */
    public void put(String path, Map<String, String> data) {
        put("secret", path, data);
    }

    public void put(String mount, String path, Map<String, String> data) {
        String json = TestGateway.JSON.valueToTree(data).toString();
        server.stubFor(get(urlEqualTo("/v1/" + mount + "/data/" + path)).atPriority(5)
                .withHeader("X-Vault-Token", equalTo(TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"request_id": "7f4b5c1e-0000-4000-8000-000000000000", "lease_id": "", "renewable": false,
                         "lease_duration": 0, "data": {"data": %s, "metadata": {"created_time": "2026-11-28T00:00:00Z",
                         "custom_metadata": null, "deletion_time": "", "destroyed": false, "version": %d}},
                         "wrap_info": null, "warnings": null, "auth": null}""".formatted(json, System.nanoTime() % 1000 + 1))));
    }

    /**
     * From now on a read of the secret fails with {@code status} and Vault's error document, until the
     * returned stub is given to {@link #heal}.
     */
    public com.github.tomakehurst.wiremock.stubbing.StubMapping fail(String mount, String path, int status) {
        return server.stubFor(get(urlEqualTo("/v1/" + mount + "/data/" + path)).atPriority(1)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[\"Vault is sealed\"]}")));
    }

    public void heal(com.github.tomakehurst.wiremock.stubbing.StubMapping failure) {
        server.removeStub(failure);
    }

    public List<LoggedRequest> readsOf(String mount, String path) {
        return server.findAll(getRequestedFor(urlEqualTo("/v1/" + mount + "/data/" + path)));
    }

    /** Secrets stay between tests: they are the class's fixture. */
    @Override
    public void accept() {
    }
}
