package org.dotmac.integrations.notification;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.component.jms.JmsEndpoint;
import org.dotmac.integrations.core.JsonRequests;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProblemException.FieldError;

/**
 * What every door does with a notification whatever its type: the generic call dispatched to its type,
 * the notification id, the JSON that goes on the queue.
 */
public class NotificationReader {

    /** Exchange property naming the integration a request is for: "email" or "sms". */
    public static final String TYPE_PROPERTY = "notificationType";

    private static final Pattern GIVEN_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final JsonRequests json;
    private final Map<String, NotificationType> types = new LinkedHashMap<>();

    public NotificationReader(JsonRequests json, List<NotificationType> types) {
        this.json = json;
        types.forEach(type -> this.types.put(type.name(), type));
    }

    /** The validated request as the JSON text that goes on its queue. */
    public String toJson(Exchange exchange) throws JsonProcessingException {
        return json.mapper().writeValueAsString(exchange.getMessage().getBody());
    }

    /**
     * A queued request as UTF-8 bytes (a BytesMessage): an Artemis TextMessage holds its text as UTF-16,
     * twice a 30 MB email's size, on top of the String it was made from.
     */
    public byte[] toJsonBytes(Exchange exchange) throws JsonProcessingException {
        return json.mapper().writeValueAsBytes(exchange.getMessage().getBody());
    }

    /**
     * Gives the exchange a notification id unless it came with one (an async request's second leg). A JMS
     * message sent without one takes its JMSMessageID's: the broker redelivers a message (after a
     * consumer died holding it) with the same JMSMessageID, so every attempt reaches the provider with
     * the same id.
     */
    public void assignId(Exchange exchange) {
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        if (id == null || !GIVEN_ID.matcher(id).matches()) {
            // only a message that came in by JMS: over HTTP JMSMessageID would be a caller's header
            String jmsId = exchange.getFromEndpoint() instanceof JmsEndpoint
                    ? exchange.getMessage().getHeader(JmsConstants.JMS_HEADER_MESSAGE_ID, String.class) : null;
            exchange.getMessage().setHeader(NotificationHeaders.ID,
                    jmsId == null ? NotificationIds.next() : idOfJmsMessage(jmsId));
        }
    }

    /** Artemis' JMSMessageID is "ID:" and a UUID; any other form is turned into a name-based UUID. */
    private static String idOfJmsMessage(String jmsId) {
        String bare = jmsId.startsWith("ID:") ? jmsId.substring(3) : jmsId;
        return GIVEN_ID.matcher(bare).matches() ? bare
                : UUID.nameUUIDFromBytes(jmsId.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The generic call, mapped to the request of its type and validated there; sets {@link #TYPE_PROPERTY}. */
    public Object notification(Exchange exchange) {
        NotificationRequest request = json.read(exchange, NotificationRequest.class, Map.of());
        String name = request.type() == null ? null : request.type().toLowerCase(Locale.ROOT);
        String known = String.join("\" or \"", types.keySet());
        if (name == null) {
            throw ProblemException.invalid("type", "is required: \"" + known + "\"");
        }
        NotificationType type = types.get(name);
        if (type == null) {
            throw ProblemException.invalid("type", "must be \"" + known + "\"");
        }
        exchange.getMessage().setBody(type.fromGeneric(request));
        exchange.setProperty(TYPE_PROPERTY, name);
        try {
            return type.read(exchange);
        } catch (ProblemException e) {
            throw ProblemException.invalid(e.errors().stream()
                    .map(error -> new FieldError(type.genericField(error.field()), error.message())).toList());
        }
    }
}
