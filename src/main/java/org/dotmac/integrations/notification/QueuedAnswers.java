package org.dotmac.integrations.notification;

import java.util.Map;

import org.apache.camel.Exchange;
import org.dotmac.integrations.core.ApiResponses;

/** The REST answers for a notification put on its queue: 202 with its status address. */
public class QueuedAnswers {

    private final ApiResponses responses;

    public QueuedAnswers(ApiResponses responses) {
        this.responses = responses;
    }

    public void accepted(Exchange exchange) throws Exception {
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        responses.json(exchange, 202, Map.of("id", id, "status", "queued"));
        exchange.getMessage().setHeader("Location", "/api/v1/notifications/" + id);
    }

    /** 202 with the first id for a repeated Idempotency-Key of a queued request: nothing was queued this time. */
    public void replayedAccepted(Exchange exchange) throws Exception {
        accepted(exchange);
        exchange.getMessage().setHeader("Idempotent-Replayed", "true");
    }
}
