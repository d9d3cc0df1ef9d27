package org.dotmac.integrations.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** max-concurrency: a turn per call under way, given back however the call ended, never twice. */
class OutboundLimitsConcurrencyTest {

    private static final ProviderModule SENDGRID = Providers.find(Integration.EMAIL, "sendgrid").orElseThrow();

    @Test
    void aCallOverTheConcurrencyIsTransientWithRetryAfterUntilATurnIsGivenBack() throws Exception {
        Map<String, String> properties = Map.of("email.sendgrid.max-concurrency", "1", "email.sendgrid.rate-limit-wait", "0");
        OutboundLimits limits = new OutboundLimits(new Settings(key -> Optional.ofNullable(properties.get(key))), List.of(SENDGRID));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            var first = new DefaultExchange(context);
            var second = new DefaultExchange(context);
            limits.acquire(first, "email-sendgrid");

            assertThatThrownBy(() -> limits.acquire(second, "email-sendgrid"))
                    .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                        assertThat(e.retryAfterMillis()).isEqualTo(1000);
                        assertThat(e.detail()).contains("max-concurrency");
                    });
            limits.release(second, "email-sendgrid");
            assertThatThrownBy(() -> limits.acquire(second, "email-sendgrid")).as("a refused call gives back no turn")
                    .isInstanceOf(ProviderUnavailableException.class);

            limits.release(first, "email-sendgrid");
            limits.release(first, "email-sendgrid");
            limits.acquire(second, "email-sendgrid");
            assertThatThrownBy(() -> limits.acquire(new DefaultExchange(context), "email-sendgrid"))
                    .as("released once, not twice").isInstanceOf(ProviderUnavailableException.class);
        }
    }

    @Test
    void aProviderWithoutLimitsIsNeverHeld() throws Exception {
        OutboundLimits limits = new OutboundLimits(new Settings(key -> Optional.empty()), List.of(SENDGRID));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            for (int i = 0; i < 1000; i++) {
                limits.acquire(new DefaultExchange(context), "email-sendgrid");
            }
        }
    }
}
