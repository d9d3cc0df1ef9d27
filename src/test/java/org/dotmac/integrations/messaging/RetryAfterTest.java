package org.dotmac.integrations.messaging;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.dotmac.integrations.core.ProviderException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a failed delivery is tried again in place, or parked at once. */
class RetryAfterTest {

    private static Exchange failedWith(Throwable failure, int redelivery) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, redelivery);
        return exchange;
    }

    @Test
    void aTransientFailureIsTriedAgainUpToTheLimit() {
        RetryAfter retries = new RetryAfter(2);
        ProviderException down = ProviderException.unavailable("sendgrid", "down");
        assertThat(retries.retryInPlace(failedWith(down, 1))).isTrue();
        assertThat(retries.retryInPlace(failedWith(down, 2))).isTrue();
        assertThat(retries.retryInPlace(failedWith(down, 3))).isFalse();
    }

    @Test
    void aProviderThatAskedForTimeIsNotTriedAgainInPlace() {
        RetryAfter retries = new RetryAfter(3);
        assertThat(retries.retryInPlace(failedWith(ProviderException.unavailable("twilio", "slow down", 2000), 1))).isFalse();
        assertThat(retries.retryInPlace(failedWith(ProviderException.unavailable("twilio", "down", 0), 1))).isTrue();
    }

    @Test
    void theFailureOnTheExchangeCountsBeforeTheCaughtOne() {
        Exchange exchange = failedWith(ProviderException.unavailable("twilio", "down"), 1);
        exchange.setException(ProviderException.unavailable("twilio", "slow down", 1000));
        assertThat(new RetryAfter(3).retryInPlace(exchange)).isFalse();
    }

    @Test
    void retryAfterIsThatOfAnUnavailableProviderOnly() {
        assertThat(RetryAfter.of(ProviderException.unavailable("sendgrid", "x", 1500))).isEqualTo(1500);
        assertThat(RetryAfter.of(ProviderException.unavailable("sendgrid", "x"))).isZero();
        assertThat(RetryAfter.of(ProviderException.misconfigured("sendgrid", "x"))).isZero();
        assertThat(RetryAfter.of(null)).isZero();
    }
}
