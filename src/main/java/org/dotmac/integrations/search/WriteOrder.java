package org.dotmac.integrations.search;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.GatewayDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps queued writes to one document in the order they were queued, whatever order they reach the
 * engine in: across several consumers, instances, parkings and replays. Each queued write carries its
 * queue sequence (the broker's id of the message first queued, kept by the gateway's re-sends) in the
 * exchange property {@value #SEQUENCE}. Before the write, the documents it touches are locked in the
 * {@link GatewayDatabase} (a row per index and id holding the sequence of the last write applied); a
 * write older than that is not sent: it is answered {@code superseded}, since a later write already
 * decided what the document is. The engine cannot be asked instead: Elasticsearch forgets a delete after
 * {@code index.gc_deletes} (60 s) and Meilisearch has no versions, while a parked write may come back an
 * hour later. The lock is held until the exchange is done, so two consumers never write one document at
 * once; rows are purged after {@code search.write-order-window}.
 */
public final class WriteOrder {

    /** The exchange property with the queue sequence of the write (a {@code long}). */
    public static final String SEQUENCE = "queueSequence";

    private static final Logger LOG = LoggerFactory.getLogger(WriteOrder.class);
    private static final String HELD = "searchWriteOrderHeld";

    private final GatewayDatabase database;
    private final long windowMillis;
    private volatile long lastPurge;

    public WriteOrder(GatewayDatabase database, long windowMillis) {
        this.database = database.schema("CREATE TABLE IF NOT EXISTS gateway_search_order ("
                + "index_name VARCHAR(255) NOT NULL, doc_id VARCHAR(512) NOT NULL, last_seq BIGINT NOT NULL,"
                + " updated_at BIGINT NOT NULL, PRIMARY KEY (index_name, doc_id))");
        this.windowMillis = windowMillis;
    }

    /** The documents held for one write, on its own connection until the exchange is done. */
    private record Held(Connection connection, String index, List<String> ids, long sequence) {
    }

    /**
     * Locks the documents of a queued index, delete or bulk request and takes out what a later write
     * superseded. Returns the request still to send, or the answer when nothing is left to send.
     */
    public Object hold(Exchange exchange) {
        SearchRequest request = exchange.getMessage().getBody(SearchRequest.class);
        Long sequence = exchange.getProperty(SEQUENCE, Long.class);
        if (request == null || sequence == null || sequence <= 0) {
            return exchange.getMessage().getBody();
        }
        Set<String> ids = new TreeSet<>(); // one lock order for every write: two bulks cannot deadlock
        for (SearchRequest.Entry entry : request.validEntries()) {
            ids.add(entry.id());
        }
        if (ids.isEmpty()) {
            return request;
        }
        long now = System.currentTimeMillis();
        Connection connection = null;
        try {
            purgeNowAndThen(now);
            connection = database.connection();
            for (String id : ids) {
                insertIfAbsent(connection, request.index(), id, now);
            }
            connection.setAutoCommit(false);
            Set<String> superseded = new TreeSet<>();
            for (String id : ids) {
                if (lastApplied(connection, request.index(), id) > sequence) {
                    superseded.add(id);
                }
            }
            Connection held = connection;
            List<String> toApply = ids.stream().filter(id -> !superseded.contains(id)).toList();
            exchange.setProperty(HELD, new Held(held, request.index(), toApply, sequence));
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    finish(held, done.isFailed());
                }
            });
            connection = null;
            if (superseded.isEmpty()) {
                return request;
            }
            LOG.info("Not sending {} of index {}: later queued writes were applied first", superseded, request.index());
            return without(request, superseded);
        } catch (SQLException e) {
            throw orderStoreAway(e);
        } finally {
            if (connection != null) {
                finish(connection, true);
            }
        }
    }

    /** The write went through: its documents now stand at its sequence. */
    public void applied(Exchange exchange) {
        Held held = exchange.getProperty(HELD, Held.class);
        if (held == null || held.ids().isEmpty()) {
            return;
        }
        try (PreparedStatement update = held.connection().prepareStatement(
                "UPDATE gateway_search_order SET last_seq = ?, updated_at = ? WHERE index_name = ? AND doc_id = ?")) {
            long now = System.currentTimeMillis();
            for (String id : held.ids()) {
                update.setLong(1, held.sequence());
                update.setLong(2, now);
                update.setString(3, held.index());
                update.setString(4, id);
                update.addBatch();
            }
            update.executeBatch();
        } catch (SQLException e) {
            throw orderStoreAway(e);
        }
    }

    /** What is left of a request once the superseded documents are taken out, or the answer if nothing is. */
    static Object without(SearchRequest request, Set<String> superseded) {
        if (request.operation() != SearchRequest.Operation.BULK) {
            return new SearchResults.Written(request.index(), request.id(), SearchResults.SUPERSEDED, null, null);
        }
        List<SearchRequest.Entry> entries = new ArrayList<>();
        for (SearchRequest.Entry entry : request.entries()) {
            entries.add(entry.valid() && superseded.contains(entry.id())
                    ? new SearchRequest.Entry(entry.position(), entry.id(), entry.document(), SearchRequest.Entry.SUPERSEDED)
                    : entry);
        }
        SearchRequest rest = SearchRequest.bulk(request.index(), entries, request.refresh());
        return rest.validEntries().isEmpty() ? SearchResults.written(rest, List.of(), null, null) : rest;
    }

    private static void insertIfAbsent(Connection connection, String index, String id, long now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO gateway_search_order (index_name, doc_id, last_seq, updated_at) VALUES (?, ?, 0, ?)")) {
            insert.setString(1, index);
            insert.setString(2, id);
            insert.setLong(3, now);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
        }
    }

    private static long lastApplied(Connection connection, String index, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT last_seq FROM gateway_search_order WHERE index_name = ? AND doc_id = ? FOR UPDATE")) {
            select.setString(1, index);
            select.setString(2, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    private static void finish(Connection connection, boolean failed) {
        try (connection) {
            if (!connection.getAutoCommit()) {
                if (failed) {
                    connection.rollback();
                } else {
                    connection.commit();
                }
            }
        } catch (SQLException e) {
            // a commit that did not land leaves the older sequence: the next write is checked against that
            LOG.warn("Could not finish the write order of a search write: {}", e.toString());
        }
    }

    private void purgeNowAndThen(long now) throws SQLException {
        if (now - lastPurge < 60_000) {
            return;
        }
        lastPurge = now;
        try (Connection connection = database.connection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM gateway_search_order WHERE updated_at < ?")) {
            delete.setLong(1, now - windowMillis);
            delete.executeUpdate();
        }
    }

    private static ProviderException orderStoreAway(SQLException e) {
        return ProviderException.unavailable("search write order",
                "the gateway's database cannot keep the order of search writes (" + e.getClass().getSimpleName()
                        + "); nothing was sent", 0);
    }
}
