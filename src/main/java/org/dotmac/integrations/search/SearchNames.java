package org.dotmac.integrations.search;

import java.util.regex.Pattern;

/**
 * Names a search request may use: index names, document ids and field names that mean the same to
 * Elasticsearch, OpenSearch and Meilisearch, and that cannot reach another route or index of the
 * engine (no '*', ',', '/', '_bulk', ...).
 */
public final class SearchNames {

    /** Lowercase letters, digits, '-' and '_', not starting with '-', '_' or '+': the common ground of the engines. */
    private static final Pattern INDEX = Pattern.compile("[a-z0-9][a-z0-9_-]{0,127}");
    /** Meilisearch's document id alphabet (letters, digits, '-', '_'), not starting with '_' ('_bulk' is a route). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,510}");
    /** Field names that filters and sorts may name: safe inside a Meilisearch filter expression. */
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}");

    private SearchNames() {
    }

    /** Why {@code index} cannot name an index, or null. */
    public static String indexProblem(String index) {
        if (index == null || index.isEmpty()) {
            return "is required";
        }
        return INDEX.matcher(index).matches() ? null
                : "must be 1 to 128 lowercase letters, digits, '-' or '_', "
                        + "starting with a letter or digit (no '*', ',', '/', '\\', spaces or uppercase)";
    }

    /** Why a present {@code id} cannot name a document, or null. */
    public static String idProblem(String id) {
        return ID.matcher(id).matches() ? null
                : "must be 1 to 511 letters, digits, '-' or '_', starting with a letter or digit";
    }

    public static boolean isField(String name) {
        return FIELD.matcher(name).matches();
    }
}
