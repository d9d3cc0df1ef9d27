package org.dotmac.integrations.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dotmac.integrations.core.GatewayDatabase;
import org.dotmac.integrations.notification.StatusTransitions.Event;
import org.dotmac.integrations.notification.StatusTransitions.Status;

/**
 * One row per notification from its acceptance on, and its append-only events, in the
 * {@link GatewayDatabase} beside the idempotency keys (H2 in the data dir, or the PostgreSQL that
 * instances share). An event takes the notification's row lock, so two events for one notification
 * (a provider's webhook and the gateway's own result) are ordered, each applied to the status the other
 * left. An event with a dedupe key (a provider's event id) is kept once.
 */
public final class StatusStore {

    /** A notification as read back. */
    public record Notification(String id, String type, String caller, String status, String provider,
            String providerMessageId, long createdAt, long updatedAt, List<EventRecord> events) {
    }

    /** One event: what happened, when, and the provider's own name for it where it came from one. */
    public record EventRecord(String event, long at, String providerEvent, String detail) {
    }

    /** What an event did. */
    public enum Outcome {
        RECORDED,
        /** an event with this dedupe key was kept before */
        DUPLICATE,
        /** no notification with this id */
        UNKNOWN
    }

    /** A page of a listing, newest first; {@code next} is the last row's position, or null at the end. */
    public record Page(List<Notification> notifications, Position next) {
    }

    /** Where a listing stands: the last row given. */
    public record Position(long createdAt, String id) {
    }

    private final GatewayDatabase database;

    public StatusStore(GatewayDatabase database) {
        this.database = database.schema(
                "CREATE TABLE IF NOT EXISTS gateway_notification (id VARCHAR(64) PRIMARY KEY, type VARCHAR(16) NOT NULL,"
                        + " caller VARCHAR(200) NOT NULL, provider VARCHAR(64), provider_message_id VARCHAR(300),"
                        + " status VARCHAR(16) NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS gateway_notification_created ON gateway_notification (created_at, id)",
                "CREATE INDEX IF NOT EXISTS gateway_notification_provider_id ON gateway_notification (provider_message_id)",
                "CREATE TABLE IF NOT EXISTS gateway_notification_event (notification_id VARCHAR(64) NOT NULL,"
                        + " seq INT NOT NULL, event VARCHAR(32) NOT NULL, at BIGINT NOT NULL, provider_event VARCHAR(64),"
                        + " detail VARCHAR(2000), dedupe_key VARCHAR(300), PRIMARY KEY (notification_id, seq))",
                "CREATE UNIQUE INDEX IF NOT EXISTS gateway_notification_event_dedupe"
                        + " ON gateway_notification_event (notification_id, dedupe_key)");
    }

    /** Records a notification as queued with its {@code accepted} event; false when it was known already. */
    public boolean accept(String id, String type, String caller, long at) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO gateway_notification (id, type, caller, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, type);
                insert.setString(3, caller);
                insert.setString(4, Status.QUEUED.wire());
                insert.setLong(5, at);
                insert.setLong(6, at);
                insert.executeUpdate();
                insertEvent(connection, id, 1, Event.ACCEPTED, at, null, null, null);
                connection.commit();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                if (isDuplicate(e)) {
                    return false;
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * Applies one event. {@code provider} and {@code providerMessageId}, when given, are kept on the
     * notification; {@code permanent} marks an {@code attempt_failed} that will not be tried again.
     */
    public Outcome record(String id, Event event, boolean permanent, long at, String providerEvent, String detail,
            String provider, String providerMessageId, String dedupeKey) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                Status current;
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT status FROM gateway_notification WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, id);
                    try (ResultSet row = lock.executeQuery()) {
                        if (!row.next()) {
                            connection.rollback();
                            return Outcome.UNKNOWN;
                        }
                        current = Status.of(row.getString(1));
                    }
                }
                int seq;
                try (PreparedStatement last = connection.prepareStatement(
                        "SELECT COALESCE(MAX(seq), 0) FROM gateway_notification_event WHERE notification_id = ?")) {
                    last.setString(1, id);
                    try (ResultSet row = last.executeQuery()) {
                        row.next();
                        seq = row.getInt(1) + 1;
                    }
                }
                try {
                    insertEvent(connection, id, seq, event, at, providerEvent, detail, dedupeKey);
                } catch (SQLException e) {
                    connection.rollback();
                    if (isDuplicate(e)) {
                        return Outcome.DUPLICATE;
                    }
                    throw e;
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE gateway_notification SET status = ?, updated_at = GREATEST(updated_at, ?), provider = COALESCE(?, provider),"
                                + " provider_message_id = COALESCE(?, provider_message_id) WHERE id = ?")) {
                    update.setString(1, StatusTransitions.next(current, event, permanent).wire());
                    update.setLong(2, at);
                    update.setString(3, provider);
                    update.setString(4, providerMessageId);
                    update.setString(5, id);
                    update.executeUpdate();
                }
                connection.commit();
                return Outcome.RECORDED;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** The notification the provider knows by this message id, if any. */
    public Optional<String> idOfProviderMessage(String provider, String providerMessageId) throws SQLException {
        try (Connection connection = database.connection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id FROM gateway_notification WHERE provider_message_id = ? AND provider = ?")) {
            select.setString(1, providerMessageId);
            select.setString(2, provider);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    public Optional<Notification> find(String id) throws SQLException {
        try (Connection connection = database.connection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, type, caller, status, provider, provider_message_id, created_at, updated_at"
                             + " FROM gateway_notification WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(notification(row, events(connection, id))) : Optional.empty();
            }
        }
    }

    /** Newest first, after {@code after} when given; each filter only when not null. */
    public Page list(String status, String type, Long since, Position after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, type, caller, status, provider, provider_message_id,"
                + " created_at, updated_at FROM gateway_notification WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        if (status != null) {
            sql.append(" AND status = ?");
            values.add(status);
        }
        if (type != null) {
            sql.append(" AND type = ?");
            values.add(type);
        }
        if (since != null) {
            sql.append(" AND created_at >= ?");
            values.add(since);
        }
        if (after != null) {
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            values.add(after.createdAt());
            values.add(after.createdAt());
            values.add(after.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(limit + 1);
        try (Connection connection = database.connection();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                select.setObject(i + 1, values.get(i));
            }
            List<Notification> rows = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(notification(row, null));
                }
            }
            Position next = null;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                Notification last = rows.get(limit - 1);
                next = new Position(last.createdAt(), last.id());
            }
            List<Notification> withEvents = new ArrayList<>();
            for (Notification n : rows) {
                withEvents.add(new Notification(n.id(), n.type(), n.caller(), n.status(), n.provider(),
                        n.providerMessageId(), n.createdAt(), n.updatedAt(), events(connection, n.id())));
            }
            return new Page(withEvents, next);
        }
    }

    /** Deletes one notification's record: it was never accepted (its send to the queue failed). */
    public int forget(String id) throws SQLException {
        try (Connection connection = database.connection();
             PreparedStatement events = connection.prepareStatement("DELETE FROM gateway_notification_event WHERE notification_id = ?");
             PreparedStatement row = connection.prepareStatement("DELETE FROM gateway_notification WHERE id = ?")) {
            events.setString(1, id);
            events.executeUpdate();
            row.setString(1, id);
            return row.executeUpdate();
        }
    }

    /** Deletes the notifications created before {@code before}, with their events; returns how many. */
    public int purge(long before) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement events = connection.prepareStatement(
                    "DELETE FROM gateway_notification_event WHERE notification_id IN"
                            + " (SELECT id FROM gateway_notification WHERE created_at < ?)");
                 PreparedStatement rows = connection.prepareStatement("DELETE FROM gateway_notification WHERE created_at < ?")) {
                events.setLong(1, before);
                events.executeUpdate();
                rows.setLong(1, before);
                int purged = rows.executeUpdate();
                connection.commit();
                return purged;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void insertEvent(Connection connection, String id, int seq, Event event, long at, String providerEvent,
            String detail, String dedupeKey) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO gateway_notification_event (notification_id, seq, event, at, provider_event, detail, dedupe_key)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setInt(2, seq);
            insert.setString(3, event.wire());
            insert.setLong(4, at);
            insert.setString(5, providerEvent);
            insert.setString(6, detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000));
            insert.setString(7, dedupeKey);
            insert.executeUpdate();
        }
    }

    private static List<EventRecord> events(Connection connection, String id) throws SQLException {
        List<EventRecord> events = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT event, at, provider_event, detail FROM gateway_notification_event WHERE notification_id = ? ORDER BY seq")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    events.add(new EventRecord(row.getString(1), row.getLong(2), row.getString(3), row.getString(4)));
                }
            }
        }
        return events;
    }

    private static Notification notification(ResultSet row, List<EventRecord> events) throws SQLException {
        return new Notification(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getLong(7), row.getLong(8), events);
    }

    private static boolean isDuplicate(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
