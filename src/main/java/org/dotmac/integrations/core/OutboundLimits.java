package org.dotmac.integrations.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;

/**
 * Each remote provider's limit toward its service, per instance and shared by every door:
 * {@code <integration>.<provider>.rate-limit} calls per second and {@code .max-concurrency} calls under way.
 * A queued request (the JMS door) never waits: over the limit it fails as transient with the time of
 * its next turn as Retry-After, so it is parked for then and holds no consumer. A synchronous one
 * waits up to {@code .rate-limit-wait} for its turn, then gets 503 with Retry-After.
 */
public final class OutboundLimits {

    private static final String PERMIT = "outboundPermit-";

    private final Map<String, Limit> limits = new HashMap<>();

    public OutboundLimits(Settings settings, List<ProviderModule> inUse) {
        for (ProviderModule module : inUse) {
            String p = prefix(module);
            int rate = settings.getInt(p + "rate-limit", 0);
            int concurrency = settings.getInt(p + "max-concurrency", 0);
            if (module.remote() && (rate > 0 || concurrency > 0)) {
                limits.put(module.routeId(), new Limit(module.name(), rate, concurrency, settings.getLong(p + "rate-limit-wait", 1000)));
            }
        }
    }

    /** The three settings of a remote provider; no limit unless set (the providers' quotas are per account). */
    public static List<Setting> settings(ProviderModule module) {
        String p = prefix(module);
        return List.of(
                Setting.of(p + "rate-limit", "0", "calls per second this instance makes to the provider; 0: no limit")
                        .range(0, 100_000),
                Setting.of(p + "max-concurrency", "0", "calls to the provider under way at once from this instance; 0: no limit")
                        .range(0, 10_000),
                Setting.of(p + "rate-limit-wait", "1000",
                        "how long a synchronous call may wait for its turn, ms; then 503 with Retry-After").range(0, 600_000));
    }

    private static String prefix(ProviderModule module) {
        return module.integration().id() + "." + module.name() + ".";
    }

    /** Takes a turn for the provider's call, or fails as transient with the time of the next one. */
    public void acquire(Exchange exchange, String routeId) throws InterruptedException {
        Limit limit = limits.get(routeId);
        if (limit == null) {
            return;
        }
        limit.acquire(queued(exchange) ? 0 : limit.waitMillis);
        exchange.setProperty(PERMIT + routeId, Boolean.TRUE);
    }

    /** Gives the turn back once the call is over, however it ended. */
    public void release(Exchange exchange, String routeId) {
        if (exchange.removeProperty(PERMIT + routeId) != null) {
            limits.get(routeId).release();
        }
    }

    private static boolean queued(Exchange exchange) {
        Endpoint from = exchange.getFromEndpoint();
        return from != null && from.getEndpointUri().startsWith("jms:");
    }

    private static final class Limit {
        private final String provider;
        private final long intervalNanos;
        private final Semaphore concurrency;
        private final long waitMillis;
        private long next = System.nanoTime();

        Limit(String provider, int rate, int concurrency, long waitMillis) {
            this.provider = provider;
            this.intervalNanos = rate > 0 ? 1_000_000_000L / rate : 0;
            this.concurrency = concurrency > 0 ? new Semaphore(concurrency, true) : null;
            this.waitMillis = waitMillis;
        }

        void acquire(long wait) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
            if (concurrency != null && !concurrency.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                throw ProviderException.unavailable(provider, provider + " has its max-concurrency of calls under way; "
                        + "nothing was sent, try again shortly", 1000);
            }
            if (intervalNanos == 0) {
                return;
            }
            long delay;
            synchronized (this) {
                long now = System.nanoTime();
                long slot = Math.max(now, next);
                delay = slot - now;
                if (delay > Math.max(0, deadline - now)) {
                    release();
                    throw ProviderException.unavailable(provider, provider + " is at its rate-limit; nothing was sent, "
                            + "its next turn is in " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms",
                            Math.max(1, TimeUnit.NANOSECONDS.toMillis(delay) + 1));
                }
                next = slot + intervalNanos;
            }
            if (delay > 0) {
                LockSupport.parkNanos(delay);
            }
        }

        void release() {
            if (concurrency != null) {
                concurrency.release();
            }
        }
    }
}
