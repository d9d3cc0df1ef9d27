package org.dotmac.integrations.search.opensearch;

import org.dotmac.integrations.search.SearchFailures;
import org.dotmac.integrations.search.SearchOperations;
import org.dotmac.integrations.search.SearchQuery;
import org.dotmac.integrations.search.SearchRequest;
import org.dotmac.integrations.search.SearchResults;
import java.util.List;
import java.util.Map;

import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.BoolQuery;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.GetRequest;
import org.opensearch.client.opensearch.core.GetResponse;
import org.opensearch.client.opensearch.core.SearchRequest.Builder;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.search.HitsMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.opensearch.OpensearchConstants;
import org.apache.camel.component.opensearch.OpensearchOperation;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.HeaderScrub;
import org.dotmac.integrations.search.SearchResults.Item;
import org.opensearch.client.ResponseException;

/**
 * The opensearch provider's side of camel-opensearch: a search request as the component's
 * operation and request builder (route search-opensearch), its answer as the neutral result.
 * Single writes go through the bulk API too: its items say created or updated, which the index
 * operation of the component drops.
 */
public class OpenSearchSearch {

    static final String PROVIDER = "opensearch";

    public void request(Exchange exchange) {
        SearchRequest request = exchange.getMessage().getBody(SearchRequest.class);
        exchange.setProperty(SearchOperations.REQUEST, request);
        Message out = exchange.getMessage();
        HeaderScrub.keepRedelivery(out);
        out.setHeader(OpensearchConstants.PARAM_INDEX_NAME, request.index());
        switch (request.operation()) {
            case GET -> {
                out.setHeader(OpensearchConstants.PARAM_OPERATION, OpensearchOperation.GetById);
                out.setBody(new GetRequest.Builder().index(request.index()).id(request.id()));
            }
            case QUERY -> {
                out.setHeader(OpensearchConstants.PARAM_OPERATION, OpensearchOperation.Search);
                out.setBody(search(request));
            }
            default -> {
                out.setHeader(OpensearchConstants.PARAM_OPERATION, OpensearchOperation.Bulk);
                out.setBody(bulk(request));
            }
        }
    }

    private static BulkRequest.Builder bulk(SearchRequest request) {
        BulkRequest.Builder bulk = new BulkRequest.Builder().index(request.index());
        if (request.refresh()) {
            bulk.refresh(Refresh.WaitFor);
        }
        for (SearchRequest.Entry entry : request.validEntries()) {
            if (request.operation() == SearchRequest.Operation.DELETE) {
                bulk.operations(op -> op.delete(d -> d.index(request.index()).id(entry.id())));
            } else {
                bulk.operations(op -> op.index(i -> i.index(request.index()).id(entry.id()).document(entry.document())));
            }
        }
        return bulk;
    }

    private static Builder search(SearchRequest request) {
        SearchQuery query = request.query();
        BoolQuery.Builder bool = new BoolQuery.Builder();
        if (query.q().isBlank()) {
            bool.must(m -> m.matchAll(a -> a));
        } else {
            bool.must(m -> m.simpleQueryString(s -> s.query(query.q())));
        }
        for (Map.Entry<String, JsonNode> filter : query.filters().entrySet()) {
            JsonNode value = filter.getValue();
            if (value.isArray()) {
                bool.filter(f -> f.bool(any -> {
                    value.forEach(v -> any.should(equal(filter.getKey(), v)));
                    return any.minimumShouldMatch("1");
                }));
            } else {
                bool.filter(equal(filter.getKey(), value));
            }
        }
        Builder search = new Builder().index(request.index()).query(q -> q.bool(bool.build()))
                .from(query.from()).size(query.size()).trackTotalHits(t -> t.enabled(true));
        for (SearchQuery.Sort sort : query.sort()) {
            search.sort(s -> s.field(f -> f.field(sort.field()).order(sort.ascending() ? SortOrder.Asc : SortOrder.Desc)));
        }
        return search;
    }

    /** Text matches as a phrase (analysed like the field); numbers and booleans exactly. */
    private static Query equal(String field, JsonNode value) {
        if (value.isTextual()) {
            return Query.of(q -> q.matchPhrase(m -> m.field(field).query(value.asText())));
        }
        FieldValue exact = value.isBoolean() ? FieldValue.of(value.asBoolean())
                : value.isIntegralNumber() ? FieldValue.of(value.asLong()) : FieldValue.of(value.asDouble());
        return Query.of(q -> q.term(t -> t.field(field).value(exact)));
    }

    @SuppressWarnings("unchecked")
    public Object result(Exchange exchange) {
        SearchRequest request = exchange.getProperty(SearchOperations.REQUEST, SearchRequest.class);
        Object body = exchange.getMessage().getBody();
        return switch (request.operation()) {
            case GET -> {
                GetResponse<ObjectNode> found = (GetResponse<ObjectNode>) body;
                if (!found.found()) {
                    throw SearchOperations.notFound(request);
                }
                yield new SearchResults.Document(request.index(), request.id(), found.source());
            }
            case QUERY -> {
                HitsMetadata<ObjectNode> hits = (HitsMetadata<ObjectNode>) body;
                yield new SearchResults.Hits(hits.total() == null ? hits.hits().size() : hits.total().value(),
                        hits.hits().stream().map(h -> new SearchResults.Hit(h.id(), h.score(), h.source())).toList(),
                        PROVIDER);
            }
            default -> SearchResults.written(request, ((List<BulkResponseItem>) body).stream()
                    .map(i -> new Item(i.id(), i.status(), i.error() == null ? i.result() : "failed", reason(i.error())))
                    .toList(), PROVIDER, null);
        };
    }

    /** What camel-opensearch threw, classified. */
    public void failure(Exchange exchange) {
        SearchRequest request = exchange.getProperty(SearchOperations.REQUEST, SearchRequest.class);
        Throwable failure = SearchFailures.unwrap(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        if (failure instanceof ProblemException problem) {
            throw problem;
        }
        if (failure instanceof OpenSearchException e) {
            if (e.status() == 404 && request.operation() == SearchRequest.Operation.GET) {
                throw SearchOperations.notFound(request);
            }
            throw SearchFailures.classify(PROVIDER, request.index(), e.status(), reason(e.error()));
        }
        if (failure instanceof ResponseException e) {
            throw SearchFailures.classify(PROVIDER, request.index(), e.getResponse().getStatusLine().getStatusCode(),
                    e.getResponse().getStatusLine().getReasonPhrase());
        }
        throw SearchFailures.transport(PROVIDER, failure);
    }

    /** The most specific reason: the root cause's, which names the field and the problem. */
    private static String reason(ErrorCause error) {
        if (error == null) {
            return null;
        }
        if (!error.rootCause().isEmpty() && error.rootCause().get(0).reason() != null) {
            return error.rootCause().get(0).reason();
        }
        ErrorCause cause = error;
        while (cause.causedBy() != null && cause.reason() == null) {
            cause = cause.causedBy();
        }
        return cause.reason() == null ? error.type() : cause.reason();
    }
}
