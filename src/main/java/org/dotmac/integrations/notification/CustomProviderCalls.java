package org.dotmac.integrations.notification;

import java.io.IOException;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.ProviderUnavailableException;

/**
 * The gateway's side of a custom provider's call (README, "Custom providers"): what the file's route
 * gets (the validated request as its body, the headers {@code NotificationId} and, when the caller
 * gave one, {@code IdempotencyKey}), how its answer becomes a result (header {@code ProviderMessageId})
 * and how its failures are classified.
 */
public class CustomProviderCalls {

    /** Set by the provider's route: the provider's id of the message. */
    public static final String PROVIDER_MESSAGE_ID = "ProviderMessageId";
    /** The caller's Idempotency-Key, as the provider's route gets it. */
    public static final String IDEMPOTENCY_KEY = IdempotencyKeys.JMS_PROPERTY;

    public void request(Exchange exchange) {
        Message message = exchange.getMessage();
        String key = message.getHeader(IdempotencyKeys.HEADER, String.class);
        if (key == null) {
            key = message.getHeader(IdempotencyKeys.JMS_PROPERTY, String.class);
        }
        NotificationHeaders.keepOnlyOwn(message);
        if (key != null) {
            message.setHeader(IDEMPOTENCY_KEY, key);
        }
    }

    public NotificationResult result(Exchange exchange, String provider) {
        Message message = exchange.getMessage();
        String id = message.getHeader(NotificationHeaders.ID, String.class);
        String providerId = message.getHeader(PROVIDER_MESSAGE_ID, String.class);
        NotificationHeaders.keepOnlyOwn(message);
        return new NotificationResult(id, "sent", provider, providerId == null || providerId.isBlank() ? null : providerId);
    }

    public void failure(Exchange exchange, String provider) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        throw classify(provider, caught);
    }

    /**
     * The gateway's own exception types as they are; camel-http's answer by its status (401/403 our
     * credentials, 408/429/5xx transient with the provider's Retry-After, other 4xx the caller's); an
     * I/O failure transient; anything else transient too, so that a request is retried and parked, never lost.
     */
    static RuntimeException classify(String provider, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProblemException problem) {
                return problem;
            }
            if (cause instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                if (status == 401 || status == 403) {
                    return ProviderException.credentialsRefused(provider, provider + " refused the gateway's credentials (HTTP "
                            + status + ")");
                }
                if (status == 408 || status == 429 || status >= 500) {
                    String retryAfter = http.getResponseHeaders() == null ? null : http.getResponseHeaders().entrySet().stream()
                            .filter(h -> h.getKey().equalsIgnoreCase("Retry-After")).map(java.util.Map.Entry::getValue)
                            .findFirst().orElse(null);
                    return ProviderException.unavailable(provider, provider + " is unavailable (HTTP " + status + ")",
                            ProviderUnavailableException.parseRetryAfter(retryAfter));
                }
                return ProviderException.rejected(provider, 400, provider + " refused the request (HTTP " + status + ")",
                        List.of());
            }
            if (cause instanceof IOException) {
                return ProviderException.unavailable(provider, provider + " could not be reached ("
                        + cause.getClass().getSimpleName() + ")");
            }
        }
        return ProviderException.unavailable(provider, provider + " failed ("
                + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
    }
}
