package org.dotmac.integrations.support;

import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Meilisearch 1.15 on loopback, checked against Meilisearch's official contract. It keeps no
 * documents: each test says what the engine answers, and checks what the gateway asked.
 */
public final class MeilisearchDouble extends ContractDouble {

    public static final String API_KEY = TestSecrets.MEILISEARCH_API_KEY;

    private MeilisearchDouble() {
        super("meilisearch-search.json");
        accept();
    }

    public static MeilisearchDouble start() {
        return new MeilisearchDouble();
    }

    /** Writes enqueue task 7, which has succeeded (one document deleted, for deletes). */
    @Override
    public void accept() {
        server.resetMappings();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(500)));
        server.stubFor(post(urlPathMatching("/indexes/[^/]+/documents")).willReturn(enqueued(7, "documentAdditionOrUpdate")));
        server.stubFor(delete(urlPathMatching("/indexes/[^/]+/documents/[^/]+")).willReturn(enqueued(7, "documentDeletion")));
        task(7, "succeeded", "{\"deletedDocuments\":1}", null);
    }

    public static ResponseDefinitionBuilder enqueued(long uid, String type) {
        return aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody(
                "{\"taskUid\":" + uid + ",\"indexUid\":\"x\",\"status\":\"enqueued\",\"type\":\"" + type
                        + "\",\"enqueuedAt\":\"2026-11-28T10:00:00Z\"}");
    }

    /** GET /tasks/{uid} answers this status, details and error (JSON or null). */
    public void task(long uid, String status, String details, String error) {
        server.stubFor(get(urlPathEqualTo("/tasks/" + uid)).willReturn(okJson("{\"uid\":" + uid
                + ",\"indexUid\":\"x\",\"status\":\"" + status + "\",\"type\":\"documentAdditionOrUpdate\""
                + ",\"details\":" + (details == null ? "null" : details)
                + ",\"error\":" + (error == null ? "null" : error)
                + ",\"enqueuedAt\":\"2026-11-28T10:00:00Z\",\"startedAt\":\"2026-11-28T10:00:00Z\""
                + ",\"finishedAt\":\"2026-11-28T10:00:01Z\",\"duration\":\"PT1S\"}")));
    }

    public void answer(com.github.tomakehurst.wiremock.client.MappingBuilder request) {
        server.stubFor(request);
    }

    /** A Meilisearch error body. */
    public static ResponseDefinitionBuilder error(int status, String code, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(
                "{\"message\":\"" + message + "\",\"code\":\"" + code + "\",\"type\":\"" + type
                        + "\",\"link\":\"https://docs.meilisearch.com/errors#" + code + "\"}");
    }

    public List<LoggedRequest> requests() {
        return server.getAllServeEvents().stream().map(e -> e.getRequest()).toList().reversed();
    }

    public List<LoggedRequest> requestsTo(String method, String path) {
        return requests().stream().filter(r -> r.getMethod().getName().equals(method) && r.getUrl().split("\\?")[0].equals(path))
                .toList();
    }
}
