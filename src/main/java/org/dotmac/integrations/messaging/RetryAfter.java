package org.dotmac.integrations.messaging;

import org.apache.camel.Exchange;
import org.dotmac.integrations.core.ProviderUnavailableException;

/**
 * Whether a transient provider failure is retried in place once more: up to {@code maxRedeliveries}
 * times, and not at all when the provider said when to come back (Retry-After): such a request is
 * parked at once, and the broker delivers it again no sooner than the provider asked.
 */
public class RetryAfter {

    private final int maxRedeliveries;

    public RetryAfter(int maxRedeliveries) {
        this.maxRedeliveries = maxRedeliveries;
    }

    public boolean retryInPlace(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof ProviderUnavailableException unavailable && unavailable.retryAfterMillis() > 0) {
            return false;
        }
        // the counter already names the redelivery about to be made: 1 for the first
        return exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) <= maxRedeliveries;
    }

    /** The provider's Retry-After of the failure being handled, 0 when none. */
    static long of(Throwable failure) {
        return failure instanceof ProviderUnavailableException unavailable ? unavailable.retryAfterMillis() : 0;
    }
}
