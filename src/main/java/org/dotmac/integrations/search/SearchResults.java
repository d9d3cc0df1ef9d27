package org.dotmac.integrations.search;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;

/** What search operations answer, the same for every provider. */
public final class SearchResults {

    private SearchResults() {
    }

    /** The result of a queued write left out because a later queued write to its document was applied first. */
    public static final String SUPERSEDED = "superseded";

    /**
     * A written or deleted document: {@code result} is created, updated, deleted, not_found, enqueued or
     * (queued writes only) superseded.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Written(String index, String id, String result, String provider, Long taskUid) {
    }

    public record Document(String index, String id, JsonNode source) {
    }

    /** One bulk item: an HTTP-like status per document, and the reason when it failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String id, int status, String result, String error) {

        boolean failed() {
            return status >= 300;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bulk(String index, boolean errors, List<Item> items, String provider, Long taskUid) {
    }

    public record Hit(String id, Double score, JsonNode source) {
    }

    public record Hits(long total, List<Hit> hits, String provider) {
    }

    /**
     * The answer to an index, delete or bulk request from the provider's items, which stand for the
     * request's valid entries in order; entries the gateway refused keep their place with their reason.
     */
    public static Object written(SearchRequest request, List<Item> sent, String provider, Long taskUid) {
        if (request.operation() == SearchRequest.Operation.BULK) {
            List<Item> items = new ArrayList<>();
            Iterator<Item> answers = sent.iterator();
            for (SearchRequest.Entry entry : request.entries()) {
                items.add(entry.valid() ? answers.next()
                        : entry.superseded() ? new Item(entry.id(), 200, SUPERSEDED, null)
                        : new Item(entry.id(), 400, "rejected", entry.error()));
            }
            return new Bulk(request.index(), items.stream().anyMatch(Item::failed), items, provider, taskUid);
        }
        Item item = sent.get(0);
        if (item.failed() && item.status() != 404) {
            throw failure(provider, item);
        }
        return new Written(request.index(), request.id(), item.result(), provider, taskUid);
    }

    /** A single write the engine refused, as the caller's 400 or the provider's unavailability. */
    static ProblemException failure(String provider, Item item) {
        if (item.status() == 429 || item.status() >= 500) {
            return ProviderException.unavailable(provider, provider + " could not write the document: " + item.error());
        }
        return ProviderException.rejected(provider, 400, provider + " rejected the document: " + item.error(),
                List.of(new ProblemException.FieldError("document", item.error())));
    }
}
