package org.dotmac.integrations.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.dotmac.integrations.core.GatewayDatabase;
import org.dotmac.integrations.notification.StatusTransitions.Event;
import org.dotmac.integrations.notification.StatusTransitions.Status;

/**
 * One row per notification from its acceptance on, its events kept in the row as a JSON list, in the
 * {@link GatewayDatabase} beside the idempotency keys (H2 in the data dir, or the PostgreSQL that
 * instances share). An acceptance is one row and one index entry besides the key (the accept path
 * pays for it); the provider's message id and the providers' event ids get small tables of their own,
 * written after the send. An event takes the row's lock, so two events for one notification (a
 * provider's webhook and the gateway's own result) are ordered, each applied to the status the other left.
 */
public final class StatusStore {

    /** A notification as read back. */
    public record Notification(String id, String type, String caller, String status, String provider,
            String providerMessageId, long createdAt, long updatedAt, List<EventRecord> events) {
    }

    /** One event: what happened, when, and the provider's own name for it where it came from one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
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

    /**
     * An event as it was kept, told to the listener once committed: {@code from} is the status before
     * (null for {@code accepted}), {@code to} the status after.
     */
    public record Recorded(String id, String type, String caller, Event event, Status from, Status to, String provider,
            long at, String providerEvent, String detail, String replyTo) {
    }

    /** A notification to record as queued; {@code replyTo}: the queue its requester wants its events on, or null. */
    public record Acceptance(String id, String type, String caller, long at, String replyTo) {

        public Acceptance(String id, String type, String caller, long at) {
            this(id, type, caller, at, null);
        }
    }

    /** Events kept per notification: beyond it the oldest after the first (accepted) make room. */
    static final int MAX_EVENTS = 100;
    private static final int MAX_DETAIL = 300;
    private static final TypeReference<List<EventRecord>> EVENTS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, type, caller, status, provider, provider_message_id, created_at, updated_at, events";
    private static final String INSERT = "INSERT INTO gateway_status (" + COLUMNS + ", events_reply_to)"
            + " VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)";

    private final GatewayDatabase database;
    private final ObjectMapper json = new ObjectMapper();
    private volatile java.util.function.Consumer<Recorded> listener = recorded -> { };

    /** Told every event once it is committed (the metrics count them, the events topics carry them). */
    public void onRecorded(java.util.function.Consumer<Recorded> listener) {
        this.listener = listener;
    }

    /** Tells the listener of acceptances committed by {@link #acceptAll}, once their callers were answered. */
    public void told(List<Acceptance> acceptances) {
        acceptances.forEach(this::told);
    }

    private void told(Acceptance a) {
        listener.accept(new Recorded(a.id(), a.type(), a.caller(), Event.ACCEPTED, null, Status.QUEUED, null, a.at(), null, null,
                a.replyTo()));
    }

    public StatusStore(GatewayDatabase database) {
        this.database = database.schema(
                "CREATE TABLE IF NOT EXISTS gateway_status (id VARCHAR(64) PRIMARY KEY, type VARCHAR(16) NOT NULL,"
                        + " caller VARCHAR(200) NOT NULL, provider VARCHAR(64), provider_message_id VARCHAR(300),"
                        + " status VARCHAR(16) NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
                        + " events VARCHAR(100000) NOT NULL)",
                "CREATE INDEX IF NOT EXISTS gateway_status_created ON gateway_status (created_at, id)",
                "ALTER TABLE gateway_status ADD COLUMN IF NOT EXISTS events_reply_to VARCHAR(200)",
                "CREATE TABLE IF NOT EXISTS gateway_status_message (provider VARCHAR(64) NOT NULL,"
                        + " provider_message_id VARCHAR(300) NOT NULL, notification_id VARCHAR(64) NOT NULL,"
                        + " created_at BIGINT NOT NULL, PRIMARY KEY (provider, provider_message_id))",
                "CREATE TABLE IF NOT EXISTS gateway_status_dedupe (notification_id VARCHAR(64) NOT NULL,"
                        + " dedupe_key VARCHAR(300) NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (notification_id, dedupe_key))");
    }

    /** The events of a new record, written without a mapper: it is on every request's path. */
    private static String acceptedEvents(long at) {
        return "[{\"event\":\"accepted\",\"at\":" + at + "}]";
    }

    /** Records a notification as queued with its {@code accepted} event; false when it was known already. */
    public boolean accept(Acceptance acceptance) throws SQLException {
        try (Connection connection = database.connection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bindAcceptance(insert, acceptance);
            insert.executeUpdate();
            told(acceptance);
            return true;
        } catch (SQLException e) {
            if (anyDuplicate(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Records several notifications as queued in one transaction and one batch: one commit for many
     * requests. When one of them was known already the batch fails as a whole, and each is then recorded
     * on its own. True when the batch was committed as one: the caller then {@link #told tells} the
     * listener, after answering its own callers; false when each was recorded (and told) on its own.
     */
    public boolean acceptAll(List<Acceptance> acceptances) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (Acceptance a : acceptances) {
                    bindAcceptance(insert, a);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                if (!anyDuplicate(e)) {
                    throw e;
                }
            } finally {
                connection.setAutoCommit(true);
            }
        }
        for (Acceptance a : acceptances) {
            accept(a);
        }
        return false;
    }

    private void bindAcceptance(PreparedStatement insert, Acceptance a) throws SQLException {
        insert.setString(1, a.id());
        insert.setString(2, a.type());
        insert.setString(3, a.caller());
        insert.setString(4, Status.QUEUED.wire());
        insert.setLong(5, a.at());
        insert.setLong(6, a.at());
        insert.setString(7, acceptedEvents(a.at()));
        insert.setString(8, a.replyTo());
    }

    /**
     * Applies one event. {@code provider} and {@code providerMessageId}, when given, are kept on the
     * notification; {@code permanent} marks an {@code attempt_failed} that will not be tried again;
     * {@code dedupeKey} (a provider's event id) keeps a repeated event from counting twice.
     */
    public Outcome record(String id, Event event, boolean permanent, long at, String providerEvent, String detail,
            String provider, String providerMessageId, String dedupeKey) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                Status current;
                String events;
                String knownProvider;
                String type;
                String caller;
                String replyTo;
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT status, events, provider, type, caller, events_reply_to FROM gateway_status WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, id);
                    try (ResultSet row = lock.executeQuery()) {
                        if (!row.next()) {
                            connection.rollback();
                            return Outcome.UNKNOWN;
                        }
                        current = Status.of(row.getString(1));
                        events = row.getString(2);
                        knownProvider = row.getString(3);
                        type = row.getString(4);
                        caller = row.getString(5);
                        replyTo = row.getString(6);
                    }
                }
                if (dedupeKey != null) {
                    try (PreparedStatement seen = connection.prepareStatement(
                            "INSERT INTO gateway_status_dedupe (notification_id, dedupe_key, created_at) VALUES (?, ?, ?)")) {
                        seen.setString(1, id);
                        seen.setString(2, dedupeKey.length() <= 300 ? dedupeKey : dedupeKey.substring(0, 300));
                        seen.setLong(3, System.currentTimeMillis());
                        seen.executeUpdate();
                    } catch (SQLException e) {
                        connection.rollback();
                        if (anyDuplicate(e)) {
                            return Outcome.DUPLICATE;
                        }
                        throw e;
                    }
                }
                List<EventRecord> list = new ArrayList<>(read(events));
                list.add(new EventRecord(event.wire(), at, cut(providerEvent, 64), cut(detail, MAX_DETAIL)));
                while (list.size() > MAX_EVENTS) {
                    list.remove(1);
                }
                Status next = StatusTransitions.next(current, event, permanent);
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE gateway_status SET status = ?, updated_at = GREATEST(updated_at, ?), provider = COALESCE(?, provider),"
                                + " provider_message_id = COALESCE(?, provider_message_id), events = ? WHERE id = ?")) {
                    update.setString(1, next.wire());
                    update.setLong(2, at);
                    update.setString(3, provider);
                    update.setString(4, providerMessageId);
                    update.setString(5, write(list));
                    update.setString(6, id);
                    update.executeUpdate();
                }
                if (provider != null && providerMessageId != null) {
                    try (PreparedStatement message = connection.prepareStatement(
                            "INSERT INTO gateway_status_message (provider, provider_message_id, notification_id, created_at)"
                                    + " VALUES (?, ?, ?, ?)")) {
                        message.setString(1, provider);
                        message.setString(2, providerMessageId);
                        message.setString(3, id);
                        message.setLong(4, System.currentTimeMillis());
                        message.executeUpdate();
                    } catch (SQLException e) {
                        if (!anyDuplicate(e)) {
                            throw e;
                        }
                        // a second send of the same message (at-least-once): the first mapping stands
                        connection.rollback();
                        return record(id, event, permanent, at, providerEvent, detail, provider, null, dedupeKey);
                    }
                }
                connection.commit();
                listener.accept(new Recorded(id, type, caller, event, current, next, provider != null ? provider : knownProvider,
                        at, providerEvent, detail, replyTo));
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
                     "SELECT notification_id FROM gateway_status_message WHERE provider = ? AND provider_message_id = ?")) {
            select.setString(1, provider);
            select.setString(2, providerMessageId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    public Optional<Notification> find(String id) throws SQLException {
        try (Connection connection = database.connection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM gateway_status WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(notification(row)) : Optional.empty();
            }
        }
    }

    /** Newest first, after {@code after} when given; each filter only when not null. */
    public Page list(String status, String type, Long since, Position after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM gateway_status WHERE 1 = 1");
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
                    rows.add(notification(row));
                }
            }
            Position next = null;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                Notification last = rows.get(limit - 1);
                next = new Position(last.createdAt(), last.id());
            }
            return new Page(rows, next);
        }
    }

    /** Deletes one notification's record: it was never accepted (its send to the queue failed). */
    public int forget(String id) throws SQLException {
        try (Connection connection = database.connection();
             PreparedStatement row = connection.prepareStatement("DELETE FROM gateway_status WHERE id = ?")) {
            row.setString(1, id);
            return row.executeUpdate();
        }
    }

    /** Deletes what was recorded before {@code before}; returns how many notifications. */
    public int purge(long before) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement messages = connection.prepareStatement("DELETE FROM gateway_status_message WHERE created_at < ?");
                 PreparedStatement dedupe = connection.prepareStatement("DELETE FROM gateway_status_dedupe WHERE created_at < ?");
                 PreparedStatement rows = connection.prepareStatement("DELETE FROM gateway_status WHERE created_at < ?")) {
                messages.setLong(1, before);
                messages.executeUpdate();
                dedupe.setLong(1, before);
                dedupe.executeUpdate();
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

    private Notification notification(ResultSet row) throws SQLException {
        return new Notification(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getLong(7), row.getLong(8), read(row.getString(9)));
    }

    private List<EventRecord> read(String events) throws SQLException {
        try {
            return json.readValue(events, EVENTS);
        } catch (JsonProcessingException e) {
            throw new SQLException("a status record's events are not readable", e);
        }
    }

    private String write(List<EventRecord> events) throws SQLException {
        try {
            return json.writeValueAsString(events);
        } catch (JsonProcessingException e) {
            throw new SQLException("events could not be written", e);
        }
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** A batch's failure names its rows' failures as the next exceptions. */
    private static boolean anyDuplicate(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            if (next.getSQLState() != null && next.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }
}
