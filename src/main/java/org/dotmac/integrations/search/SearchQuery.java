package org.dotmac.integrations.search;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A full-text query: {@code q} over every field (empty: every document), exact {@code filters}
 * (field to a value, or to an array of values of which one must match), a page ({@code from},
 * {@code size}) and an optional sort (most relevant first when none).
 */
public record SearchQuery(String q, Map<String, JsonNode> filters, int from, int size, List<Sort> sort) {

    public record Sort(String field, boolean ascending) {

        /** {@code price:asc}, as Meilisearch writes it. */
        public String expression() {
            return field + (ascending ? ":asc" : ":desc");
        }
    }
}
