package org.dotmac.integrations.search;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One provider-neutral search operation on one index. Index and bulk writes carry their documents
 * with the {@code id} field set; a bulk entry that failed the gateway's own checks carries its error
 * instead and is never sent.
 *
 * @param refresh wait until the write is visible to queries before answering
 */
public record SearchRequest(Operation operation, String index, String id, List<Entry> entries, SearchQuery query,
                            boolean refresh) {

    public enum Operation {
        INDEX, GET, DELETE, BULK, QUERY
    }

    /**
     * A document to write at its position in the request; {@code error} set: not sent, refused before
     * sending or {@link #SUPERSEDED}.
     */
    public record Entry(int position, String id, ObjectNode document, String error) {

        /** The error of an entry left out because a later queued write to its document was applied first. */
        public static final String SUPERSEDED = "a later queued write to this document was applied first";

        public boolean valid() {
            return error == null;
        }

        public boolean superseded() {
            return SUPERSEDED.equals(error);
        }
    }

    public static SearchRequest index(String index, String id, ObjectNode document, boolean refresh) {
        return new SearchRequest(Operation.INDEX, index, id, List.of(new Entry(0, id, document, null)), null, refresh);
    }

    public static SearchRequest get(String index, String id) {
        return new SearchRequest(Operation.GET, index, id, List.of(), null, false);
    }

    public static SearchRequest delete(String index, String id, boolean refresh) {
        return new SearchRequest(Operation.DELETE, index, id, List.of(new Entry(0, id, null, null)), null, refresh);
    }

    public static SearchRequest bulk(String index, List<Entry> entries, boolean refresh) {
        return new SearchRequest(Operation.BULK, index, null, List.copyOf(entries), null, refresh);
    }

    public static SearchRequest query(String index, SearchQuery query) {
        return new SearchRequest(Operation.QUERY, index, null, List.of(), query, false);
    }

    /** The entries that passed the gateway's checks: what a provider sends. */
    public List<Entry> validEntries() {
        return entries.stream().filter(Entry::valid).toList();
    }
}
