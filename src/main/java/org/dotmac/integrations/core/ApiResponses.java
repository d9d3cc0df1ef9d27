package org.dotmac.integrations.core;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes REST answers. Every answer starts from an empty header set: platform-http would otherwise
 * echo request headers (the API key among them) back as response headers.
 */
public class ApiResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);

    private final ObjectMapper mapper = new ObjectMapper();

    /** Each cause's class and message, outermost first: a wrapper's own message rarely says what failed. */
    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 6; t = t.getCause() == t ? null : t.getCause(), depth++) {
            text.append(depth == 0 ? "" : "; caused by ").append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }

    public void ok(Exchange exchange) throws Exception {
        json(exchange, 200, exchange.getMessage().getBody());
    }

    /** 200 with the first answer to a repeated Idempotency-Key: nothing was sent this time. */
    public void replayed(Exchange exchange) throws Exception {
        json(exchange, 200, exchange.getMessage().getBody());
        exchange.getMessage().setHeader("Idempotent-Replayed", "true");
    }

    public void noContent(Exchange exchange) {
        HeaderScrub.keepCamel(exchange.getMessage());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setBody(null);
    }

    public void json(Exchange exchange, int status, Object body) throws Exception {
        HeaderScrub.keepCamel(exchange.getMessage());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(mapper.writeValueAsString(body));
    }

    private static boolean isBrokerFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.springframework.jms.JmsException || cause instanceof jakarta.jms.JMSException
                    || cause instanceof jakarta.jms.JMSRuntimeException) {
                return true;
            }
        }
        return false;
    }

    /** The answer to a failed request; bodies never carry a stack trace or an exception's internals. */
    public void problem(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String instance = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String body;
        int status;
        if (!(failure instanceof ProblemException) && isBrokerFailure(failure)) {
            // the broker is down or the connection to it broke: nothing was accepted, the caller may repeat
            LOG.warn("The message broker did not take a request: {}", failure.getClass().getName());
            failure = new BrokerUnavailableException();
        }
        if (failure instanceof ProblemException problem) {
            status = problem.status();
            body = Problems.json(problem, instance);
        } else {
            status = 500;
            String reference = UUID.randomUUID().toString();
            // the exception's message may quote a provider's answer: keep it in the log, out of the response
            LOG.error("Request failed (reference {}): {}", reference, failure == null ? "unknown error" : causes(failure), failure); //TMPSTACK
            body = Problems.json(500, "Internal Server Error",
                    "the gateway could not complete the request; quote reference " + reference + " to the operators",
                    instance, null);
        }
        HeaderScrub.keepCamel(exchange.getMessage());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, Problems.MEDIA_TYPE);
        exchange.getMessage().setBody(body);
        if (failure instanceof ProviderUnavailableException unavailable && unavailable.retryAfterMillis() > 0) {
            // the provider's own Retry-After, passed on to a synchronous caller
            exchange.getMessage().setHeader("Retry-After", String.valueOf((unavailable.retryAfterMillis() + 999) / 1000));
        } else if (status == 409) {
            exchange.getMessage().setHeader("Retry-After", "1");
        } else if (failure instanceof BrokerUnavailableException) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(BrokerUnavailableException.RETRY_AFTER_SECONDS));
        }
    }
}
