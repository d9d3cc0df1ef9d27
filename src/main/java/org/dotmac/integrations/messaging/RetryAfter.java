package org.dotmac.integrations.messaging;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.dotmac.integrations.api.ProviderUnavailableException;

/** Before a retry: a provider that said when to come back (Retry-After) is not asked sooner. */
public class RetryAfter implements Processor {

    private final long maxDelayMillis;

    public RetryAfter(long maxDelayMillis) {
        this.maxDelayMillis = maxDelayMillis;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        if (failure instanceof ProviderUnavailableException unavailable && unavailable.retryAfterMillis() > 0) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, Math.min(maxDelayMillis, unavailable.retryAfterMillis()));
        }
    }
}
