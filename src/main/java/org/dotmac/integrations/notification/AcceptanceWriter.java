package org.dotmac.integrations.notification;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.dotmac.integrations.notification.StatusStore.Acceptance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for acceptances: a caller hands its record over and waits until it is committed, while
 * one writer commits every record that arrived meanwhile in one transaction and one batch, so that under
 * load a commit serves many requests and the pool's connections are not all held by accepts.
 */
public final class AcceptanceWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptanceWriter.class);
    private static final int MAX_BATCH = 256;

    private record Pending(Acceptance acceptance, CompletableFuture<Void> committed) {
    }

    private final StatusStore store;
    private final long waitMillis;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    /** @param waitMillis how long a caller waits for its commit before it is told the store is away */
    public AcceptanceWriter(StatusStore store, long waitMillis) {
        this.store = store;
        this.waitMillis = waitMillis;
        this.writer = Thread.ofPlatform().name("status-acceptance-writer").daemon().unstarted(this::run);
        writer.start();
    }

    /** Returns once the record is committed; throws the store's failure otherwise. */
    public void accept(Acceptance acceptance) throws SQLException {
        Pending entry = new Pending(acceptance, new CompletableFuture<>());
        pending.add(entry);
        try {
            entry.committed().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException("status write failed", e.getCause());
        } catch (TimeoutException e) {
            throw new SQLException("the status store did not commit within " + waitMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the status record was written");
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running) {
            try {
                Pending first = pending.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                try {
                    List<Acceptance> acceptances = batch.stream().map(Pending::acceptance).toList();
                    boolean asOne = store.acceptAll(acceptances);
                    batch.forEach(p -> p.committed().complete(null));
                    if (asOne) {
                        store.told(acceptances);
                    }
                } catch (SQLException | RuntimeException e) {
                    batch.forEach(p -> p.committed().completeExceptionally(e));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                LOG.error("The status acceptance writer failed; its batch is refused", e);
                batch.forEach(p -> p.committed().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        SQLException closed = new SQLException("the gateway is stopping");
        for (Pending p; (p = pending.poll()) != null;) {
            p.committed().completeExceptionally(closed);
        }
    }
}
