package org.dotmac.integrations.notification;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.dotmac.integrations.api.ProblemException;
import org.dotmac.integrations.api.ProviderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency keys. On REST, the {@code Idempotency-Key} header; on JMS, the {@code IdempotencyKey}
 * property. The notification id is derived from the key, so a repeat gets the first one's id.
 * <ul>
 * <li>A queued REST request carries the key as Artemis' duplicate id, so the broker drops the repeat.
 * The broker's duplicate-id cache is persistent and shared by every instance on that broker; its size
 * ({@code jms.duplicate-id-cache-size} ids per queue) is the window.</li>
 * <li>A synchronous REST request ({@code ?wait=true}) and a JMS message claim the key in the
 * {@link IdempotencyStore} before the provider is called; a repeat gets the first answer and sends
 * nothing. A failed call frees the key again.</li>
 * </ul>
 */
public class IdempotencyKeys {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);

    public static final String HEADER = "Idempotency-Key";
    public static final String JMS_PROPERTY = "IdempotencyKey";
    /** Artemis duplicate detection. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** Set to true when the body is the first answer to a repeated key: send nothing. */
    public static final String REPLAYED = "GatewayIdempotentReplay";
    private static final String CLAIM = "idempotencyClaim";
    private static final String COMPLETED = "idempotencyCompleted";

    private final IdempotencyStore store;
    private final ObjectMapper json = new ObjectMapper();

    public IdempotencyKeys(IdempotencyStore store) {
        this.store = store;
    }

    /** REST: checks the key and derives the id; a queued request also gets the broker's duplicate id. */
    public void apply(Exchange exchange) {
        Message message = exchange.getMessage();
        String key = message.getHeader(HEADER, String.class);
        if (key == null) {
            return;
        }
        check(HEADER, key);
        String scoped = exchange.getProperty(NotificationReader.TYPE_PROPERTY, String.class) + ":" + key;
        message.setHeader(NotificationHeaders.ID, idFor(scoped));
        if (!"true".equalsIgnoreCase(message.getHeader("wait", String.class))) {
            message.setHeader(DUPLICATE_ID, "notification:" + scoped);
        }
    }

    /** A synchronous REST request: claims its key, or answers a repeat; 409 while the first is in progress. */
    public void begin(Exchange exchange) throws SQLException {
        String key = exchange.getMessage().getHeader(HEADER, String.class);
        if (key != null) {
            try {
                claim(exchange, "sync:" + exchange.getProperty(NotificationReader.TYPE_PROPERTY, String.class) + ":" + key, false);
            } catch (SQLException e) {
                throw storeAway(e);
            }
        }
    }

    /**
     * A JMS message: claims its key, or makes the body the first answer. A repeat that arrives while
     * the first is still being sent is retried later, like a provider that is busy.
     */
    public void beginQueued(Exchange exchange) throws SQLException {
        String key = exchange.getMessage().getHeader(JMS_PROPERTY, String.class);
        if (key == null) {
            return;
        }
        check(JMS_PROPERTY, key);
        String scoped = queuedScope(exchange, key);
        exchange.getMessage().setHeader(NotificationHeaders.ID, idFor(scoped));
        try {
            claim(exchange, scoped, true);
        } catch (SQLException e) {
            throw storeAway(e);
        }
    }

    /**
     * The id a keyed JMS message is delivered with, for a copy of it that is parked: its queued answer
     * must name the id its later delivery carries. A key that {@link #beginQueued} would refuse gives none.
     */
    public void queuedId(Exchange exchange) {
        String key = exchange.getMessage().getHeader(JMS_PROPERTY, String.class);
        if (key != null && valid(key)) {
            exchange.getMessage().setHeader(NotificationHeaders.ID, idFor(queuedScope(exchange, key)));
        }
    }

    private static String queuedScope(Exchange exchange, String key) {
        return "jms:" + exchange.getProperty(NotificationReader.TYPE_PROPERTY, String.class) + ":" + key;
    }

    private void claim(Exchange exchange, String scoped, boolean queued) throws SQLException {
        if (scoped.equals(exchange.getProperty(CLAIM, String.class))) {
            return; // a redelivery of the exchange that holds the claim
        }
        switch (store.claim(scoped)) {
            case IdempotencyStore.Claimed claimed -> {
                exchange.setProperty(CLAIM, scoped);
                exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                    @Override
                    public void onDone(Exchange done) {
                        if (!Boolean.TRUE.equals(done.getProperty(COMPLETED))) {
                            release(scoped);
                        }
                    }
                });
            }
            case IdempotencyStore.Answered answered -> {
                exchange.getMessage().setHeader(REPLAYED, true);
                try {
                    exchange.getMessage().setBody(json.readTree(answered.answer()));
                } catch (Exception e) {
                    throw new IllegalStateException("the stored answer could not be read", e);
                }
            }
            case IdempotencyStore.InProgress inProgress -> {
                if (queued) {
                    throw ProviderException.unavailable("idempotency", "a message with this IdempotencyKey is still being sent", 1000);
                }
                throw new ProblemException(409, "Conflict",
                        "a request with this Idempotency-Key is still in progress; repeat it once it has been answered");
            }
        }
    }

    /** The provider answered: that answer is the key's from now on. */
    public void complete(Exchange exchange) throws Exception {
        String scoped = exchange.getProperty(CLAIM, String.class);
        if (scoped != null) {
            store.complete(scoped, json.writeValueAsString(exchange.getMessage().getBody()));
            exchange.setProperty(COMPLETED, true);
        }
    }

    private void release(String scoped) {
        try {
            store.release(scoped);
        } catch (SQLException e) {
            LOG.warn("Could not free an idempotency key after a failed call ({}); a repeat within the window gets 409",
                    e.getMessage());
        }
    }

    /**
     * The key store away is transient like a provider that is down: a JMS request is retried and parked,
     * never dead-lettered at once; a synchronous one gets 503. Nothing was sent either way.
     */
    private static ProviderException storeAway(SQLException e) {
        return ProviderException.unavailable("idempotency store",
                "the idempotency key store cannot be reached (" + e.getClass().getSimpleName() + "); nothing was sent", 0);
    }

    private static boolean valid(String key) {
        return !key.isEmpty() && key.length() <= 255 && key.chars().allMatch(c -> c >= 0x21 && c < 0x7f);
    }

    private static void check(String field, String key) {
        if (!valid(key)) {
            throw ProblemException.invalid(field, "must be 1 to 255 printable ASCII characters without spaces");
        }
    }

    private static String idFor(String scoped) {
        return UUID.nameUUIDFromBytes(scoped.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
