package org.dotmac.integrations.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.dotmac.integrations.core.GatewayDatabase;
import org.dotmac.integrations.core.Settings;

/**
 * The first answer to each Idempotency-Key of a synchronous or JMS request, for
 * {@code idempotency.window}. A key is claimed before the provider is called (an insert that only
 * one caller can win, so two concurrent repeats never both send), answered after, and released when
 * the call failed so that the caller may try again. A claim is a lease ({@code idempotency.lease}, longer
 * than any provider call may take): a process that dies between claim and answer leaves a claim that
 * the next attempt takes over once the lease has run out, instead of a key "in progress" for the whole
 * window. The keys live in the {@link GatewayDatabase}: H2 in the data dir by default, kept across
 * restarts; {@code idempotency.jdbc-url} (PostgreSQL) shares them between instances.
 */
public final class IdempotencyStore implements AutoCloseable {

    /** What a key stands for right now. */
    public sealed interface Claim {
    }

    /**
     * This caller owns the key: call the provider, then {@link #complete} or {@link #release}.
     * {@code createdAt} is when the key was first claimed (a take-over keeps it).
     */
    public record Claimed(long createdAt) implements Claim {
    }

    /** The key was answered before: this is that answer. */
    public record Answered(String answer) implements Claim {
    }

    /** Another caller holds the key and has not answered yet. */
    public record InProgress() implements Claim {
    }

    /** The key was used for a request with another body: it is not this request's key. */
    public record Mismatch() implements Claim {
    }

    private final GatewayDatabase database;
    private final long windowMillis;
    private final long leaseMillis;
    private volatile long lastPurge;

    IdempotencyStore(GatewayDatabase database, long windowMillis, long leaseMillis) {
        this.database = database.schema(
                "CREATE TABLE IF NOT EXISTS gateway_idempotency ("
                        + "idem_key VARCHAR(300) PRIMARY KEY, answer VARCHAR(16000), created_at BIGINT NOT NULL)",
                // a claim's lease, added to tables made before it (H2 and PostgreSQL both know IF NOT EXISTS)
                "ALTER TABLE gateway_idempotency ADD COLUMN IF NOT EXISTS lease_until BIGINT",
                // the digest of the request that claimed the key: another body under the same key is refused
                "ALTER TABLE gateway_idempotency ADD COLUMN IF NOT EXISTS request_digest VARCHAR(64)");
        this.windowMillis = windowMillis;
        this.leaseMillis = leaseMillis;
    }

    private Connection connection() throws SQLException {
        return database.connection();
    }

    public static IdempotencyStore create(Settings settings, GatewayDatabase database) {
        long window = org.apache.camel.util.TimeUtils.toMilliSeconds(settings.get("idempotency.window", "24h"));
        long lease = org.apache.camel.util.TimeUtils.toMilliSeconds(settings.get("idempotency.lease", "2m"));
        return new IdempotencyStore(database, window, lease);
    }

    public Claim claim(String key) throws SQLException {
        return claim(key, null);
    }

    /** @param digest the request's digest (hex), compared with the one that claimed the key; null: not compared */
    public Claim claim(String key, String digest) throws SQLException {
        long now = System.currentTimeMillis();
        purgeNowAndThen(now);
        try (Connection connection = connection()) {
            try (PreparedStatement expired = connection.prepareStatement(
                    "DELETE FROM gateway_idempotency WHERE idem_key = ? AND created_at < ?")) {
                expired.setString(1, key);
                expired.setLong(2, now - windowMillis);
                expired.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO gateway_idempotency (idem_key, answer, created_at, lease_until, request_digest)"
                            + " VALUES (?, NULL, ?, ?, ?)")) {
                insert.setString(1, key);
                insert.setLong(2, now);
                insert.setLong(3, now + leaseMillis);
                insert.setString(4, digest);
                insert.executeUpdate();
                return new Claimed(now);
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
            }
            if (digest != null) {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT request_digest FROM gateway_idempotency WHERE idem_key = ?")) {
                    select.setString(1, key);
                    try (ResultSet row = select.executeQuery()) {
                        String claimed = row.next() ? row.getString(1) : null;
                        if (claimed != null && !claimed.equals(digest)) {
                            return new Mismatch();
                        }
                    }
                }
            }
            // an unanswered claim whose lease ran out: its holder died or gave up; one caller takes it over
            boolean takenOver;
            try (PreparedStatement takeOver = connection.prepareStatement(
                    "UPDATE gateway_idempotency SET lease_until = ? WHERE idem_key = ? AND answer IS NULL"
                            + " AND (lease_until IS NULL OR lease_until < ?)")) {
                takeOver.setLong(1, now + leaseMillis);
                takeOver.setString(2, key);
                takeOver.setLong(3, now);
                takenOver = takeOver.executeUpdate() == 1;
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT answer, created_at FROM gateway_idempotency WHERE idem_key = ?")) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return new InProgress(); // released by its holder a moment ago: the next attempt claims it
                    }
                    if (takenOver) {
                        return new Claimed(row.getLong(2));
                    }
                    String answer = row.getString(1);
                    return answer == null ? new InProgress() : new Answered(answer);
                }
            }
        }
    }

    /** How long a key's first answer is kept. */
    long windowMillis() {
        return windowMillis;
    }

    public void complete(String key, String answer) throws SQLException {
        try (Connection connection = connection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE gateway_idempotency SET answer = ? WHERE idem_key = ?")) {
            update.setString(1, answer);
            update.setString(2, key);
            update.executeUpdate();
        }
    }

    /** The call failed: the key is free again, so that a retry is not taken for a repeat. */
    public void release(String key) throws SQLException {
        try (Connection connection = connection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM gateway_idempotency WHERE idem_key = ? AND answer IS NULL")) {
            delete.setString(1, key);
            delete.executeUpdate();
        }
    }

    private void purgeNowAndThen(long now) throws SQLException {
        if (now - lastPurge < 60_000) {
            return;
        }
        lastPurge = now;
        try (Connection connection = connection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM gateway_idempotency WHERE created_at < ?")) {
            delete.setLong(1, now - windowMillis);
            delete.executeUpdate();
        }
    }

    /** Closes its database: for a store that has one of its own, as in tests. */
    @Override
    public void close() {
        database.close();
    }
}
