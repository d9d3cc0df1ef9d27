package org.dotmac.integrations.messaging;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;

import org.dotmac.integrations.core.BrokerUnavailableException;

/**
 * Whether to try a send at all. After a send failed, requests are refused at once (503) and the
 * broker is probed at most once a second, until it answers: otherwise every request would wait
 * jms.send-timeout on an HTTP worker while the broker is away, and the workers (the health probes'
 * too) would all be taken.
 */
public class BrokerGate {

    private static final long PROBE_INTERVAL_MS = 1000;

    private final ConnectionFactory probe;
    private volatile boolean down;
    private final AtomicLong nextProbe = new AtomicLong();

    public BrokerGate(ConnectionFactory probe) {
        this.probe = probe;
    }

    /** Before a send: passes while the broker is taken to be up, or when a due probe finds it back. */
    public void requireAvailable() {
        if (!down) {
            return;
        }
        long now = System.currentTimeMillis();
        long due = nextProbe.get();
        if (now >= due && nextProbe.compareAndSet(due, now + PROBE_INTERVAL_MS) && reachable()) {
            down = false;
            return;
        }
        throw new BrokerUnavailableException();
    }

    /** A send failed on the broker's side: refuse the next requests until a probe finds it back. */
    public void failed() {
        down = true;
        nextProbe.set(System.currentTimeMillis() + PROBE_INTERVAL_MS);
        throw new BrokerUnavailableException();
    }

    private boolean reachable() {
        try (Connection connection = probe.createConnection()) {
            connection.start();
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
