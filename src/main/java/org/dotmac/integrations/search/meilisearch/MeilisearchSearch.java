package org.dotmac.integrations.search.meilisearch;

import org.dotmac.integrations.search.SearchFailures;
import org.dotmac.integrations.search.SearchOperations;
import org.dotmac.integrations.search.SearchQuery;
import org.dotmac.integrations.search.SearchRequest;
import org.dotmac.integrations.search.SearchResults;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.Message;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.core.HeaderScrub;
import org.dotmac.integrations.search.SearchResults.Item;

/**
 * The meilisearch provider over its HTTP API (camel-http, route search-meilisearch). Meilisearch
 * writes asynchronously: a write answers with a task, which the route polls until it has finished,
 * so that the answer says whether the documents were written. A task still running after
 * {@code search.meilisearch.task-timeout} is answered 202 with its task uid.
 */
public class MeilisearchSearch {

    static final String PROVIDER = "meilisearch";
    /** The uid of the write task being waited for; absent when there is nothing (more) to wait for. */
    public static final String TASK = "meilisearchTask";
    private static final String TASK_DEADLINE = "meilisearchTaskDeadline";
    private static final String TASK_VIEW = "meilisearchTaskView";

    private final Settings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final long taskTimeoutMillis;

    public MeilisearchSearch(Settings settings) {
        this.settings = settings;
        this.taskTimeoutMillis = settings.getLong("search.meilisearch.task-timeout", 10_000);
    }

    /** The HTTP call for the operation: method, path, query and JSON body; only our own headers. */
    public void request(Exchange exchange) throws Exception {
        SearchRequest request = exchange.getMessage().getBody(SearchRequest.class);
        exchange.setProperty(SearchOperations.REQUEST, request);
        Message out = exchange.getMessage();
        HeaderScrub.keepRedelivery(out);
        authorize(out);
        String index = "/indexes/" + request.index();
        switch (request.operation()) {
            case GET -> call(out, "GET", index + "/documents/" + request.id(), null, null);
            case DELETE -> call(out, "DELETE", index + "/documents/" + request.id(), null, null);
            case QUERY -> call(out, "POST", index + "/search", null, json.writeValueAsString(search(request.query())));
            default -> {
                ArrayNode documents = json.createArrayNode();
                request.validEntries().forEach(e -> documents.add(e.document()));
                call(out, "POST", index + "/documents", "primaryKey=id", json.writeValueAsString(documents));
            }
        }
    }

    private ObjectNode search(SearchQuery query) {
        ObjectNode body = json.createObjectNode();
        body.put("q", query.q());
        body.put("offset", query.from());
        body.put("limit", query.size());
        body.put("showRankingScore", true);
        if (!query.filters().isEmpty()) {
            body.put("filter", filter(query.filters()));
        }
        if (!query.sort().isEmpty()) {
            ArrayNode sort = body.putArray("sort");
            query.sort().forEach(s -> sort.add(s.expression()));
        }
        return body;
    }

    /** Meilisearch's filter expression: {@code status = "active" AND tag IN ["a", "b"]}. */
    static String filter(Map<String, JsonNode> filters) {
        List<String> terms = new ArrayList<>();
        filters.forEach((field, value) -> {
            if (value.isArray()) {
                List<String> values = new ArrayList<>();
                value.forEach(v -> values.add(literal(v)));
                terms.add(field + " IN [" + String.join(", ", values) + "]");
            } else {
                terms.add(field + " = " + literal(value));
            }
        });
        return String.join(" AND ", terms);
    }

    private static String literal(JsonNode value) {
        if (value.isTextual()) {
            return "\"" + value.asText().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return value.asText();
    }

    /** The answer to the call: a result, a task to wait for, or a classified failure. */
    public void answer(Exchange exchange) throws Exception {
        SearchRequest request = exchange.getProperty(SearchOperations.REQUEST, SearchRequest.class);
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        JsonNode body = readBody(message);
        if (status < 200 || status >= 300) {
            if (status == 404 && request.operation() == SearchRequest.Operation.GET
                    && "document_not_found".equals(body.path("code").asText())) {
                throw SearchOperations.notFound(request);
            }
            throw failure(request, status, body);
        }
        switch (request.operation()) {
            case GET -> message.setBody(new SearchResults.Document(request.index(), request.id(), body));
            case QUERY -> message.setBody(hits(body));
            default -> {
                exchange.setProperty(TASK, body.path("taskUid").asLong());
                exchange.setProperty(TASK_DEADLINE, System.currentTimeMillis() + taskTimeoutMillis);
            }
        }
    }

    /** The next look at the write task. */
    public void taskRequest(Exchange exchange) {
        Message out = exchange.getMessage();
        HeaderScrub.keepRedelivery(out);
        authorize(out);
        call(out, "GET", "/tasks/" + exchange.getProperty(TASK, Long.class), null, null);
    }

    /** Stops the waiting once the task has finished, or when the wait is over. */
    public void taskStatus(Exchange exchange) throws Exception {
        SearchRequest request = exchange.getProperty(SearchOperations.REQUEST, SearchRequest.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        JsonNode task = readBody(exchange.getMessage());
        if (status != 200) {
            throw failure(request, status, task);
        }
        String state = task.path("status").asText();
        if (state.equals("succeeded") || state.equals("failed") || state.equals("canceled")) {
            exchange.setProperty(TASK_VIEW, task);
            exchange.removeProperty(TASK);
        } else if (System.currentTimeMillis() > exchange.getProperty(TASK_DEADLINE, Long.class)) {
            exchange.setProperty(TASK_VIEW, task);
            exchange.removeProperty(TASK);
        }
    }

    /** The neutral result of a write from its finished (or still running) task. */
    public Object written(Exchange exchange) {
        SearchRequest request = exchange.getProperty(SearchOperations.REQUEST, SearchRequest.class);
        JsonNode task = exchange.getProperty(TASK_VIEW, JsonNode.class);
        long uid = task.path("uid").asLong();
        String state = task.path("status").asText();
        List<Item> items = new ArrayList<>();
        Iterator<SearchRequest.Entry> sent = request.validEntries().iterator();
        while (sent.hasNext()) {
            String id = sent.next().id();
            items.add(switch (state) {
                case "succeeded" -> request.operation() == SearchRequest.Operation.DELETE
                        ? task.path("details").path("deletedDocuments").asLong() > 0
                        ? new Item(id, 200, "deleted", null) : new Item(id, 404, "not_found", null)
                        : new Item(id, 200, "indexed", null);
                case "failed" -> taskFailure(id, task.path("error"));
                case "canceled" -> new Item(id, 503, "canceled", "the Meilisearch task " + uid + " was canceled");
                default -> new Item(id, 202, "enqueued", null);
            });
        }
        return SearchResults.written(request, items, PROVIDER, state.equals("succeeded") || state.equals("failed") ? null : uid);
    }

    private static Item taskFailure(String id, JsonNode error) {
        String type = error.path("type").asText();
        int status = type.equals("internal") || type.equals("system") ? 503 : type.equals("auth") ? 502 : 400;
        return new Item(id, status, "failed", error.path("message").asText("the Meilisearch task failed"));
    }

    private SearchResults.Hits hits(JsonNode body) {
        List<SearchResults.Hit> hits = new ArrayList<>();
        for (JsonNode hit : body.path("hits")) {
            ObjectNode source = ((ObjectNode) hit).deepCopy();
            JsonNode score = source.remove("_rankingScore");
            source.remove(List.of("_formatted", "_matchesPosition", "_rankingScoreDetails", "_vectors"));
            hits.add(new SearchResults.Hit(source.path("id").asText(), score == null ? null : score.asDouble(), source));
        }
        long total = body.has("totalHits") ? body.path("totalHits").asLong() : body.path("estimatedTotalHits").asLong();
        return new SearchResults.Hits(total, hits, PROVIDER);
    }

    private ProblemException failure(SearchRequest request, int status, JsonNode body) {
        String type = body.path("type").asText();
        String message = body.path("message").asText(null);
        if (type.equals("auth")) {
            status = 403;
        }
        return SearchFailures.classify(PROVIDER, request.index(), status, message);
    }

    /** No answer at all: timeouts and I/O errors, worth retrying. */
    public void ioFailure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getMessage().removeHeader("Authorization");
        if (cause instanceof ProblemException problem) {
            throw problem;
        }
        if (cause instanceof InterruptedIOException) {
            throw ProviderException.timedOut(PROVIDER, "Meilisearch did not answer in time");
        }
        throw SearchFailures.transport(PROVIDER, cause);
    }

    /** Meilisearch's cheapest authenticated call, a one-index listing, with the key in force now. */
    public CredentialCheck.Outcome checkCredentials() throws Exception {
        String url = settings.get("search.meilisearch.url").orElseThrow();
        try (var http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(settings.getLong("search.meilisearch.connect-timeout", 5_000))).build()) {
            var request = HttpRequest.newBuilder(URI.create(
                            url.replaceAll("/+$", "") + "/indexes?limit=1"))
                    .timeout(Duration.ofMillis(settings.getLong("search.meilisearch.read-timeout", 30_000))).GET();
            String key = settings.get("search.meilisearch.api-key").orElse("");
            if (!key.isBlank()) {
                request.header("Authorization", "Bearer " + key);
            }
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return CredentialCheck.Outcome.ofHttpStatus("GET /indexes", status);
        }
    }

    private void authorize(Message out) {
        String key = settings.get("search.meilisearch.api-key").orElse("");
        if (!key.isBlank()) {
            out.setHeader("Authorization", "Bearer " + key);
        }
    }

    private static void call(Message out, String method, String path, String query, String body) {
        out.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method));
        out.setHeader(Exchange.HTTP_PATH, encodePath(path));
        if (query != null) {
            out.setHeader(Exchange.HTTP_QUERY, query);
        }
        if (body != null) {
            out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        out.setBody(body);
    }

    private static String encodePath(String path) {
        // names and ids are checked to plain letters, digits, '-' and '_'; encoded anyway, never trusted
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.substring(1).split("/")) {
            encoded.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8));
        }
        return encoded.toString();
    }

    private JsonNode readBody(Message message) {
        String text = message.getBody(String.class);
        message.removeHeader("Authorization");
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }
}
