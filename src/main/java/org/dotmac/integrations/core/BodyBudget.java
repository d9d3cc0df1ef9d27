package org.dotmac.integrations.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * A bulkhead for the request bodies the HTTP server buffers in memory, taken before the body is read:
 * a JSON body is held whole, then as text, as a tree and decoded (a 29 MB email is several copies of
 * itself), so a few large requests at once can take the heap. A request that declares a body beyond
 * {@link #SMALL} bytes reserves its declared length (a chunked one: the largest body accepted) until its
 * answer is sent; when the reservations would pass the limit it is answered 503 with
 * {@code Retry-After} at once, without its body being read. Small bodies are not counted: as many as there
 * are HTTP workers fit in any heap the gateway runs in. Storage uploads are streamed to disk, not buffered,
 * and are not counted either.
 * <p>
 * Queue consumers draw on the same budget ({@link #reserveWaiting}): a consumer turning a large message
 * into a provider call holds it several times too. A consumer waits for room instead of being refused
 * (its message stays on the queue), and while one waits the HTTP door takes no new large body, so a busy
 * door cannot starve the queue.
 */
public final class BodyBudget {

    /** Bodies up to this many bytes are not counted. */
    public static final long SMALL = 256 * 1024;

    private final long limit;
    private final long largestBody;
    private final AtomicLong reserved = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private int waiting;

    /**
     * @param limit bytes of counted bodies buffered at once; at least one of the largest accepted size
     * @param largestBody camel.server.max-body-size: what a body without a declared length may become
     */
    public BodyBudget(long limit, long largestBody, MeterRegistry meters) {
        this.limit = Math.max(limit, largestBody);
        this.largestBody = largestBody;
        Gauge.builder("gateway_buffered_body_bytes", reserved, AtomicLong::get)
                .description("bytes of large request bodies reserved now (gateway.buffered-body-limit)").register(meters);
    }

    /** The default limit: a sixth of the heap the JVM may use, and never less than one largest body. */
    public static long defaultLimit(long largestBody) {
        return Math.max(largestBody, Runtime.getRuntime().maxMemory() / 6);
    }

    public void handle(RoutingContext ctx) {
        long size = cost(ctx);
        if (size == 0) {
            ctx.next();
            return;
        }
        if (!tryReserve(size)) {
            ctx.response().putHeader("Retry-After", "1")
                    .setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                    .end(Problems.json(503, "Service Unavailable", "the gateway holds as many large request bodies as"
                            + " its memory allows (gateway.buffered-body-limit); nothing was accepted, repeat it shortly",
                            ctx.request().path(), null));
            return;
        }
        ctx.addEndHandler(done -> release(size));
        ctx.next();
    }

    /** Reserves {@code size} bytes unless they would pass the limit or a consumer is waiting for room. */
    boolean tryReserve(long size) {
        lock.lock();
        try {
            if (waiting > 0 || reserved.get() + size > limit) {
                return false;
            }
            reserved.addAndGet(size);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves {@code size} bytes (at most the limit: one body larger than it is let through alone),
     * waiting until they fit; release them with {@link #release}. Returns what was reserved.
     */
    public long reserveWaiting(long size) throws InterruptedException {
        long cost = Math.min(size, limit);
        lock.lockInterruptibly();
        try {
            waiting++;
            try {
                while (reserved.get() + cost > limit) {
                    released.await();
                }
            } finally {
                waiting--;
            }
            reserved.addAndGet(cost);
            return cost;
        } finally {
            lock.unlock();
        }
    }

    public void release(long size) {
        lock.lock();
        try {
            reserved.addAndGet(-size);
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long cost(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.DELETE
                || method == HttpMethod.OPTIONS) {
            return 0;
        }
        String path = ctx.request().path();
        if (method == HttpMethod.PUT && path != null && path.startsWith(HttpNames.STORAGE_OBJECTS)) {
            return 0; // streamed and spooled to disk
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) == null ? 0 : largestBody;
        }
        try {
            long declared = Long.parseLong(length.trim());
            // a declared length beyond the largest body is refused with 413 by the body handler, unread
            return declared <= SMALL ? 0 : Math.min(declared, largestBody);
        } catch (NumberFormatException e) {
            return largestBody;
        }
    }
}
