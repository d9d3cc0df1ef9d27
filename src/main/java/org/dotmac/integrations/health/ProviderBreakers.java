package org.dotmac.integrations.health;

import java.time.Duration;
import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.util.TimeUtils;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.dotmac.integrations.core.Settings;

/**
 * One Resilience4j circuit breaker per provider, named like its route ({@code email-sendgrid}), set
 * from {@code resilience.<integration>.*}, counting transient failures only, and reported in
 * metrics as {@code resilience4j_circuitbreaker_*{name="email-sendgrid"}}.
 */
public class ProviderBreakers {

    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private final Settings settings;

    public ProviderBreakers(Settings settings, MeterRegistry meters) {
        this.settings = settings;
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    public CircuitBreaker breaker(String integration, String provider) {
        String prefix = "resilience." + integration + ".";
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.getInt(prefix + "sliding-window-size", 5))
                .minimumNumberOfCalls(settings.getInt(prefix + "minimum-number-of-calls", 5))
                .failureRateThreshold(settings.getInt(prefix + "failure-rate-threshold", 100))
                .waitDurationInOpenState(duration(prefix + "wait-duration-in-open-state", "30s"))
                .permittedNumberOfCallsInHalfOpenState(settings.getInt(prefix + "half-open-calls", 1))
                // half-open once the wait is over, whether a call comes or not: state, health and metrics
                // then say "trying again" instead of "open" for as long as no traffic arrives
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .slowCallDurationThreshold(duration(prefix + "slow-call-duration-threshold", "10s"))
                .slowCallRateThreshold(settings.getInt(prefix + "slow-call-rate-threshold", 100))
                // a caller's 4xx or our configuration's 502 never opens a breaker
                .recordExceptions(ProviderUnavailableException.class)
                .build();
        return registry.circuitBreaker(integration + "-" + provider, config);
    }

    public Optional<CircuitBreaker.State> state(String name) {
        return registry.find(name).map(CircuitBreaker::getState);
    }

    private Duration duration(String key, String defaultValue) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(settings.get(key, defaultValue)));
    }
}
