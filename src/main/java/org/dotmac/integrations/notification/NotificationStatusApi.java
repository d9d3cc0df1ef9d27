package org.dotmac.integrations.notification;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.notification.StatusStore.Notification;
import org.dotmac.integrations.notification.StatusStore.Position;
import org.dotmac.integrations.notification.StatusTransitions.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** GET /api/v1/notifications/{id} and the listing; the purge of records past their retention. */
public class NotificationStatusApi {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationStatusApi.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    static final int MAX_LIMIT = 100;

    private final StatusStore store;
    private final long retentionMillis;

    public NotificationStatusApi(StatusStore store, long retentionMillis) {
        this.store = store;
        this.retentionMillis = retentionMillis;
    }

    /** The body of GET /api/v1/notifications/{id}: 400 for a malformed id, 404 for an unknown one. */
    public Map<String, Object> get(Exchange exchange) throws SQLException {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (id == null || !ID.matcher(id).matches()) {
            throw ProblemException.invalid("id", "must be a notification id: 1 to 64 letters, digits or hyphens");
        }
        return store.find(id).map(NotificationStatusApi::view)
                .orElseThrow(() -> new ProblemException(404, "Not found", "no notification " + id
                        + " (records are kept for notification.retention after acceptance)"));
    }

    /** The body of GET /api/v1/notifications: newest first, {@code next} the cursor of the next page. */
    public Map<String, Object> list(Exchange exchange) throws SQLException {
        var in = exchange.getMessage();
        String status = in.getHeader("status", String.class);
        if (status != null && !isStatus(status)) {
            throw ProblemException.invalid("status", "must be one of " + wireNames());
        }
        String type = in.getHeader("type", String.class);
        if (type != null && !type.equals("email") && !type.equals("sms")) {
            throw ProblemException.invalid("type", "must be email or sms");
        }
        Long since = null;
        String sinceText = in.getHeader("since", String.class);
        if (sinceText != null) {
            try {
                since = OffsetDateTime.parse(sinceText).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw ProblemException.invalid("since", "must be an RFC 3339 time, e.g. 2026-12-01T00:00:00Z");
            }
        }
        int limit = 20;
        String limitText = in.getHeader("limit", String.class);
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ProblemException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        StatusStore.Page page = store.list(status, type, since, cursor(in.getHeader("cursor", String.class)), limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("notifications", page.notifications().stream().map(NotificationStatusApi::view).toList());
        body.put("next", page.next() == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(
                (page.next().createdAt() + ":" + page.next().id()).getBytes(StandardCharsets.UTF_8)));
        return body;
    }

    /** Deletes the records past {@code notification.retention}; run in the background by a timer route. */
    public void purge() throws SQLException {
        int purged = store.purge(System.currentTimeMillis() - retentionMillis);
        if (purged > 0) {
            LOG.info("Purged {} notification records older than notification.retention", purged);
        }
    }

    private static Position cursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            String id = text.substring(colon + 1);
            if (colon < 1 || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException();
            }
            return new Position(Long.parseLong(text.substring(0, colon)), id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("cursor", "is not a cursor this gateway gave: pass the previous page's next as it is");
        }
    }

    private static boolean isStatus(String value) {
        for (Status s : Status.values()) {
            if (s.wire().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String wireNames() {
        return String.join(", ", java.util.Arrays.stream(Status.values()).map(Status::wire).toList());
    }

    static Map<String, Object> view(Notification n) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", n.id());
        view.put("type", n.type());
        view.put("status", n.status());
        view.put("provider", n.provider());
        view.put("providerMessageId", n.providerMessageId());
        view.put("createdAt", Instant.ofEpochMilli(n.createdAt()).toString());
        view.put("updatedAt", Instant.ofEpochMilli(n.updatedAt()).toString());
        List<Map<String, Object>> events = n.events().stream().map(e -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("event", e.event());
            event.put("at", Instant.ofEpochMilli(e.at()).toString());
            if (e.providerEvent() != null) {
                event.put("providerEvent", e.providerEvent());
            }
            if (e.detail() != null) {
                event.put("detail", e.detail());
            }
            return event;
        }).toList();
        view.put("events", events);
        return view;
    }
}
