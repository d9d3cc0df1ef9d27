package org.dotmac.integrations.notification;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency keys. On REST, the {@code Idempotency-Key} header; on JMS, the {@code IdempotencyKey}
 * property. The notification id is derived from the key, so a repeat gets the first one's id.
 * A key belongs to its caller (REST: {@value #CALLER}, set by the HTTP gatekeeper from the API key;
 * JMS: the broker's validated user when it is trusted, else {@code jms}) and to one request: the same
 * key with another body is refused (422).
 * <ul>
 * <li>A queued REST request claims its key in the {@link IdempotencyStore} before it is put on the
 * queue and is answered 202 with the first id on a repeat; it also carries the key as Artemis'
 * duplicate id, so the broker drops a copy the store could not tell about (a process that died
 * between the send and recording it).</li>
 * <li>A synchronous REST request ({@code ?wait=true}) and a JMS message claim the key before the
 * provider is called; a repeat gets the first answer and sends nothing. A failed call frees the key again.</li>
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
    /**
     * Who sent a request: on REST {@code key-} and 8 hex digits of its API key's SHA-256, or {@code local};
     * on a copy the gateway itself re-queued (parked), the caller of the original.
     */
    public static final String CALLER = org.dotmac.integrations.core.HttpNames.CALLER;
    private static final String SCOPE = "idempotencyScope";
    private static final String CLAIM = "idempotencyClaim";
    private static final String COMPLETED = "idempotencyCompleted";
    private static final String CLAIMED_AT = "idempotencyClaimedAt";

    private final IdempotencyStore store;
    private final boolean trustValidatedUser;
    private final String gatewayUser;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param trustValidatedUser whether the broker sets each message's JMSXUserID itself (else a sender could)
     * @param gatewayUser the gateway's own broker user: its re-queued copies name their original caller
     */
    public IdempotencyKeys(IdempotencyStore store, boolean trustValidatedUser, String gatewayUser) {
        this.store = store;
        this.trustValidatedUser = trustValidatedUser;
        this.gatewayUser = gatewayUser;
    }

    /** REST: checks the key and derives the id; a queued request also gets the broker's duplicate id. */
    public void apply(Exchange exchange) {
        Message message = exchange.getMessage();
        String key = message.getHeader(HEADER, String.class);
        if (key == null) {
            return;
        }
        check(HEADER, key);
        String caller = message.getHeader(CALLER, "local", String.class);
        String scoped = caller + ":" + exchange.getProperty(NotificationReader.TYPE_PROPERTY, String.class) + ":" + key;
        exchange.setProperty(SCOPE, scoped);
        message.setHeader(NotificationHeaders.ID, idFor(scoped));
    }

    /** A synchronous REST request: claims its key, or answers a repeat; 409 while the first is in progress. */
    public void begin(Exchange exchange) {
        String scoped = exchange.getProperty(SCOPE, String.class);
        if (scoped != null) {
            claimOrStoreAway(exchange, "sync:" + scoped, HEADER, false);
        }
    }

    /**
     * A queued REST request: claims its key before the request is put on the queue, or marks a repeat
     * ({@value #REPLAYED}) to be answered 202 with the first id; 409 while the first is being queued.
     */
    public void beginAccept(Exchange exchange) {
        String scoped = exchange.getProperty(SCOPE, String.class);
        if (scoped != null) {
            claimOrStoreAway(exchange, "queued:" + scoped, HEADER, false);
            Long claimedAt = exchange.getProperty(CLAIMED_AT, Long.class);
            if (claimedAt != null) {
                // the broker drops a second send of this claim (its holder died after sending, a redelivery
                // took it over) and of a claim made at once by an instance with a key store of its own; one
                // window later the same key is a new request, which the broker must not take for a repeat
                exchange.getMessage().setHeader(DUPLICATE_ID, "notification:" + scoped + ":" + claimedAt / store.windowMillis());
            }
        }
    }

    /** The queued request is on its queue: a repeat is answered 202 from now on. */
    public void completeAccept(Exchange exchange) throws Exception {
        String scoped = exchange.getProperty(CLAIM, String.class);
        if (scoped != null) {
            store.complete(scoped, json.writeValueAsString(java.util.Map.of("status", "queued")));
            exchange.setProperty(COMPLETED, true);
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
        claimOrStoreAway(exchange, scoped, JMS_PROPERTY, true);
    }

    private void claimOrStoreAway(Exchange exchange, String scoped, String field, boolean queued) {
        try {
            claim(exchange, scoped, digest(exchange.getMessage().getBody()), field, queued);
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

    /** Also names the caller on the message, so that a copy the gateway sends again (parked, dead-lettered) keeps it. */
    private String queuedScope(Exchange exchange, String key) {
        String caller = jmsCaller(exchange);
        exchange.getMessage().setHeader(CALLER, caller);
        return "jms:" + caller + ":" + exchange.getProperty(NotificationReader.TYPE_PROPERTY, String.class) + ":" + key;
    }

    /** Who sent the request: the REST door's caller, the JMS sender as keys see it, or {@code local} for a direct call. */
    public String callerOf(Exchange exchange) {
        if (exchange.getFromEndpoint() instanceof org.apache.camel.component.jms.JmsEndpoint) {
            return jmsCaller(exchange);
        }
        String caller = exchange.getMessage().getHeader(CALLER, String.class);
        return caller != null ? caller : exchange.getProperty(CALLER, "local", String.class);
    }

    /** The broker's validated user when the broker is trusted to set it; else every JMS sender is one caller. */
    private String jmsCaller(Exchange exchange) {
        Message message = exchange.getMessage();
        if (trustValidatedUser) {
            String user = validatedUser(exchange);
            if (user != null && !user.isBlank()) {
                String named = message.getHeader(CALLER, String.class);
                return user.equals(gatewayUser) && named != null ? named : "jms-user:" + user;
            }
        }
        return "jms";
    }

    /** The user the broker validated, read from the JMS message itself (JMSXUserID), which Camel's headers do not carry. */
    private static String validatedUser(Exchange exchange) {
        if (exchange.getIn() instanceof org.apache.camel.component.jms.JmsMessage jms && jms.getJmsMessage() != null) {
            try {
                return jms.getJmsMessage().getStringProperty("JMSXUserID");
            } catch (jakarta.jms.JMSException e) {
                return null;
            }
        }
        return null;
    }

    private void claim(Exchange exchange, String scoped, String digest, String field, boolean queued) throws SQLException {
        if (scoped.equals(exchange.getProperty(CLAIM, String.class))) {
            return; // a redelivery of the exchange that holds the claim
        }
        switch (store.claim(scoped, digest)) {
            case IdempotencyStore.Claimed claimed -> {
                exchange.setProperty(CLAIM, scoped);
                exchange.setProperty(CLAIMED_AT, claimed.createdAt());
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
                if (queued) {
                    // rare (a sender's retry, a parked repeat): worth a line, and the only trace it leaves
                    LOG.info("Message {} repeats an answered request (same {}): answered from the idempotency store, nothing sent",
                            exchange.getMessage().getHeader(NotificationHeaders.ID, String.class), field);
                }
                exchange.getMessage().setHeader(REPLAYED, true);
                try {
                    exchange.getMessage().setBody(json.readTree(answered.answer()));
                } catch (Exception e) {
                    throw new IllegalStateException("the stored answer could not be read", e);
                }
            }
            case IdempotencyStore.Mismatch mismatch -> throw new ProblemException(422, "Unprocessable Content",
                    "this " + field + " was used for a request with another body; a key names one request",
                    java.util.List.of(new ProblemException.FieldError(field, "already used for a different request")));
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

    /** SHA-256 of the request: the bytes as they came (JMS) or the request as read, streamed (REST). */
    String digest(Object request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            switch (request) {
                case null -> {
                }
                case byte[] bytes -> sha.update(bytes);
                case String text -> sha.update(text.getBytes(StandardCharsets.UTF_8));
                default -> json.writeValue(new DigestOutputStream(OutputStream.nullOutputStream(), sha), request);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException("the request's digest could not be taken", e);
        }
    }

    private static String idFor(String scoped) {
        return UUID.nameUUIDFromBytes(scoped.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
