package org.dotmac.integrations.search;

import org.apache.camel.Exchange;
import org.dotmac.integrations.core.ApiResponses;
import org.dotmac.integrations.core.ProblemException;

/** What every door and provider of search shares: the request on the exchange and its HTTP answer. */
public class SearchOperations {

    /** The exchange property holding the {@link SearchRequest} while a provider works on it. */
    public static final String REQUEST = "searchRequest";

    private final ApiResponses responses = new ApiResponses();

    public static ProblemException notFound(SearchRequest request) {
        return new ProblemException(404, "Not Found", "document " + request.id() + " is not in index " + request.index());
    }

    /** The HTTP status of a result: 201 for a new document, 202 while the engine still works on it, 404 for a miss. */
    public void respond(Exchange exchange) throws Exception {
        Object result = exchange.getMessage().getBody();
        int status = 200;
        if (result instanceof SearchResults.Written written) {
            status = switch (written.result()) {
                case "created" -> 201;
                case "enqueued" -> 202;
                case "not_found" -> throw new ProblemException(404, "Not Found",
                        "document " + written.id() + " is not in index " + written.index());
                default -> 200;
            };
        } else if (result instanceof SearchResults.Bulk bulk && bulk.taskUid() != null) {
            status = 202;
        }
        responses.json(exchange, status, result);
    }
}
