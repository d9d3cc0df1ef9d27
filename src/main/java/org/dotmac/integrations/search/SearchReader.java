package org.dotmac.integrations.search;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.RequestBodies;
import org.dotmac.integrations.core.ProblemException.FieldError;
import org.dotmac.integrations.core.Settings;

/**
 * Reads and checks search requests from every door: the REST routes (path parameters as headers,
 * JSON body) and the JMS and direct endpoints (one JSON object, a Map or a {@link SearchRequest}).
 * Names and ids are held to what every provider accepts, so that a request valid here is valid on
 * Elasticsearch, OpenSearch and Meilisearch alike.
 */
public class SearchReader {

    private static final int MAX_Q = 1000;
    private static final List<String> QUERY_FIELDS = List.of("q", "filters", "from", "size", "sort");
    /** a message on direct:search-query also names its index (and may name its operation) */
    private static final List<String> MESSAGE_FIELDS = List.of("index", "operation");
    private static final int MAX_FILTERS = 20;
    private static final int MAX_FILTER_VALUES = 100;
    /** Elasticsearch's default index.max_result_window: from + size beyond it is refused by the engine. */
    static final int MAX_WINDOW = 10_000;

    private final ObjectMapper mapper;
    private final int maxSize;
    private final int defaultSize;
    private final int maxBulk;

    public SearchReader(ObjectMapper mapper, Settings settings) {
        this.mapper = mapper;
        this.maxSize = settings.getInt("search.max-size", 100);
        this.defaultSize = Math.min(settings.getInt("search.default-size", 10), maxSize);
        this.maxBulk = settings.getInt("search.bulk-max-documents", 1000);
    }

    // --- REST: path parameters index and id arrive as headers, refresh as a query parameter ---------

    public SearchRequest put(Exchange exchange) {
        String index = index(exchange.getMessage().getHeader("index", String.class));
        String id = id("id", exchange.getMessage().getHeader("id", String.class));
        return SearchRequest.index(index, id, document(object(body(exchange), "body"), id, "body"), refresh(exchange));
    }

    public SearchRequest post(Exchange exchange) {
        String index = index(exchange.getMessage().getHeader("index", String.class));
        ObjectNode document = object(body(exchange), "body");
        String id = document.hasNonNull("id") ? id("id", text(document.get("id"))) : UUID.randomUUID().toString();
        return SearchRequest.index(index, id, document(document, id, "body"), refresh(exchange));
    }

    public SearchRequest get(Exchange exchange) {
        return SearchRequest.get(index(exchange.getMessage().getHeader("index", String.class)),
                id("id", exchange.getMessage().getHeader("id", String.class)));
    }

    public SearchRequest delete(Exchange exchange) {
        return SearchRequest.delete(index(exchange.getMessage().getHeader("index", String.class)),
                id("id", exchange.getMessage().getHeader("id", String.class)), refresh(exchange));
    }

    public SearchRequest bulk(Exchange exchange) {
        String index = index(exchange.getMessage().getHeader("index", String.class));
        return bulk(index, body(exchange), "body", refresh(exchange));
    }

    public SearchRequest query(Exchange exchange) {
        String index = index(exchange.getMessage().getHeader("index", String.class));
        return SearchRequest.query(index, query(object(body(exchange), "body"), List.of()));
    }

    // --- JMS and direct: one object naming the operation ----------------------------------------

    /** direct:search-index and the JMS queue's "index": one {@code document}, or {@code documents} for a bulk. */
    public SearchRequest indexMessage(Exchange exchange) {
        return message(exchange, "index");
    }

    public SearchRequest deleteMessage(Exchange exchange) {
        return message(exchange, "delete");
    }

    public SearchRequest queryMessage(Exchange exchange) {
        return message(exchange, "query");
    }

    public SearchRequest getMessage(Exchange exchange) {
        return message(exchange, "get");
    }

    /**
     * The JMS queue's messages: {@code {"operation": "index"|"delete", "index": ..., "id": ...,
     * "document": {...}}} or {@code "documents": [...]} for a bulk index.
     */
    public SearchRequest queueMessage(Exchange exchange) {
        return message(exchange, null);
    }

    private SearchRequest message(Exchange exchange, String fixedOperation) {
        if (exchange.getMessage().getBody() instanceof SearchRequest request) {
            return request;
        }
        ObjectNode message = object(body(exchange), "body");
        String operation = fixedOperation;
        if (operation == null) {
            JsonNode named = message.get("operation");
            operation = named == null || !named.isTextual() ? "" : named.asText().toLowerCase(Locale.ROOT);
            if (!operation.equals("index") && !operation.equals("delete")) {
                throw ProblemException.invalid("operation", "must be \"index\" or \"delete\" on this queue");
            }
        }
        String index = index(message.hasNonNull("index") ? text(message.get("index")) : null);
        boolean refresh = message.path("refresh").asBoolean(false);
        return switch (operation) {
            case "index" -> {
                if (message.has("documents")) {
                    yield bulk(index, message.get("documents"), "documents", refresh);
                }
                ObjectNode document = object(message.get("document"), "document");
                String id = message.hasNonNull("id") ? id("id", text(message.get("id")))
                        : document.hasNonNull("id") ? id("document.id", text(document.get("id")))
                        : UUID.randomUUID().toString();
                yield SearchRequest.index(index, id, document(document, id, "document"), refresh);
            }
            case "delete" -> SearchRequest.delete(index, id("id", text(message.get("id"))), refresh);
            case "get" -> SearchRequest.get(index, id("id", text(message.get("id"))));
            default -> SearchRequest.query(index, query(message, MESSAGE_FIELDS));
        };
    }

    // --- checks ----------------------------------------------------------------------------------

    static String index(String index) {
        String problem = SearchNames.indexProblem(index);
        if (problem != null) {
            throw ProblemException.invalid("index", problem);
        }
        return index;
    }

    private static String id(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw ProblemException.invalid(field, "is required");
        }
        String problem = SearchNames.idProblem(id);
        if (problem != null) {
            throw ProblemException.invalid(field, problem);
        }
        return id;
    }

    /** The document as stored: its {@code id} field set to its id, which it must not contradict. */
    private ObjectNode document(ObjectNode document, String id, String field) {
        JsonNode own = document.get("id");
        if (own != null && !own.isNull() && !id.equals(text(own))) {
            throw ProblemException.invalid(field + ".id", "is \"" + abbreviate(text(own)) + "\" but the document's id is \"" + id + "\"");
        }
        ObjectNode stored = document.deepCopy();
        stored.put("id", id);
        return stored;
    }

    private SearchRequest bulk(String index, JsonNode documents, String field, boolean refresh) {
        if (documents == null || !documents.isArray()) {
            throw ProblemException.invalid(field, "must be a JSON array of documents, each with an id");
        }
        ArrayNode array = (ArrayNode) documents;
        if (array.isEmpty()) {
            throw ProblemException.invalid(field, "holds no document");
        }
        if (array.size() > maxBulk) {
            throw new ProblemException(413, "Payload Too Large", field + " holds " + array.size()
                    + " documents; at most " + maxBulk + " per request (search.bulk-max-documents)",
                    List.of(new FieldError(field, "at most " + maxBulk + " documents")));
        }
        List<SearchRequest.Entry> entries = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            String id = item.isObject() && item.hasNonNull("id") && item.get("id").isValueNode() ? text(item.get("id")) : null;
            String error;
            if (!item.isObject()) {
                error = "is not a JSON object";
            } else if (id == null || id.isEmpty()) {
                error = "has no id";
            } else {
                error = SearchNames.idProblem(id) == null ? null : "id " + SearchNames.idProblem(id);
            }
            entries.add(new SearchRequest.Entry(i, id == null ? null : abbreviate(id),
                    error == null ? ((ObjectNode) item).deepCopy().put("id", id) : null,
                    error == null ? null : field + "[" + i + "] " + error));
        }
        // nothing an engine could write: the caller's mistake as a whole, not a bulk of failures
        if (entries.stream().allMatch(e -> e.error() != null)) {
            throw ProblemException.invalid(entries.stream().limit(20)
                    .map(e -> new FieldError(field + "[" + e.position() + "]", e.error().substring(e.error().indexOf(' ') + 1)))
                    .toList());
        }
        return SearchRequest.bulk(index, entries, refresh);
    }

    private SearchQuery query(ObjectNode body, List<String> alsoKnown) {
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!QUERY_FIELDS.contains(name) && !alsoKnown.contains(name)) {
                errors.add(new FieldError(abbreviate(name), "is not a known field; known: " + String.join(", ", QUERY_FIELDS)));
            }
        });
        JsonNode qNode = body.get("q");
        String q = "";
        if (qNode != null && !qNode.isNull()) {
            if (!qNode.isTextual()) {
                errors.add(new FieldError("q", "must be a string"));
            } else if (qNode.asText().length() > MAX_Q) {
                errors.add(new FieldError("q", "is longer than " + MAX_Q + " characters"));
            } else {
                q = qNode.asText();
            }
        }
        int from = integer(body, "from", 0, 0, MAX_WINDOW, errors);
        int size = integer(body, "size", defaultSize, 0, maxSize, errors);
        if (errors.isEmpty() && from + size > MAX_WINDOW) {
            errors.add(new FieldError("from", "from + size must be at most " + MAX_WINDOW));
        }
        Map<String, JsonNode> filters = new LinkedHashMap<>();
        JsonNode filterNode = body.get("filters");
        if (filterNode != null && !filterNode.isNull()) {
            if (!filterNode.isObject() || filterNode.size() > MAX_FILTERS) {
                errors.add(new FieldError("filters", "must be an object of at most " + MAX_FILTERS
                        + " fields, each to a value or an array of values"));
            } else {
                filterNode.properties().forEach(e -> {
                    String name = "filters." + abbreviate(e.getKey());
                    if (!SearchNames.isField(e.getKey())) {
                        errors.add(new FieldError(name, "is not a field name (letters, digits, '_', '.', '-')"));
                    } else if (!scalarOrScalars(e.getValue())) {
                        errors.add(new FieldError(name, "must be a string, number or boolean, or an array of up to "
                                + MAX_FILTER_VALUES + " of them"));
                    } else {
                        filters.put(e.getKey(), e.getValue());
                    }
                });
            }
        }
        List<SearchQuery.Sort> sort = new ArrayList<>();
        JsonNode sortNode = body.get("sort");
        if (sortNode != null && !sortNode.isNull()) {
            if (!sortNode.isArray() || sortNode.size() > 5) {
                errors.add(new FieldError("sort", "must be an array of up to 5 \"field:asc\" or \"field:desc\""));
            } else {
                for (JsonNode s : sortNode) {
                    String[] parts = s.isTextual() ? s.asText().split(":", -1) : new String[0];
                    if (parts.length != 2 || !SearchNames.isField(parts[0])
                            || !(parts[1].equals("asc") || parts[1].equals("desc"))) {
                        errors.add(new FieldError("sort", "\"" + abbreviate(s.asText()) + "\" is not \"field:asc\" or \"field:desc\""));
                    } else {
                        sort.add(new SearchQuery.Sort(parts[0], parts[1].equals("asc")));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new SearchQuery(q, filters, from, size, sort);
    }

    private static boolean scalarOrScalars(JsonNode value) {
        if (value.isArray()) {
            if (value.isEmpty() || value.size() > MAX_FILTER_VALUES) {
                return false;
            }
            for (JsonNode v : value) {
                if (!scalar(v)) {
                    return false;
                }
            }
            return true;
        }
        return scalar(value);
    }

    private static boolean scalar(JsonNode value) {
        return value.isTextual() || value.isNumber() || value.isBoolean();
    }

    private static int integer(JsonNode body, String field, int absent, int min, int max, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
            return absent;
        }
        return node.asInt();
    }

    private boolean refresh(Exchange exchange) {
        String refresh = exchange.getMessage().getHeader("refresh", String.class);
        if (refresh == null || refresh.isEmpty() || refresh.equals("false")) {
            return false;
        }
        if (refresh.equals("true")) {
            return true;
        }
        throw ProblemException.invalid("refresh", "must be true or false");
    }

    private JsonNode body(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        try {
            if (body instanceof JsonNode node) {
                return node;
            }
            if (body instanceof Map<?, ?> || body instanceof List<?>) {
                return mapper.valueToTree(body);
            }
            if (body instanceof byte[] bytes) {
                return bytes.length == 0 ? null : mapper.readTree(RequestBodies.requireUtf8(bytes));
            }
            if (body instanceof InputStream in) {
                byte[] bytes = RequestBodies.bytes(in);
                return bytes.length == 0 ? null : mapper.readTree(RequestBodies.requireUtf8(bytes));
            }
            String text = exchange.getMessage().getBody(String.class);
            return text == null || text.isBlank() ? null : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("body", "is not valid JSON: " + abbreviate(e.getOriginalMessage()));
        } catch (IOException | IllegalArgumentException e) {
            throw ProblemException.invalid("body", "could not be read as JSON");
        }
    }

    private static ObjectNode object(JsonNode node, String field) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw ProblemException.invalid(field, "is required: a JSON object");
        }
        if (!node.isObject()) {
            throw ProblemException.invalid(field, "must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}
