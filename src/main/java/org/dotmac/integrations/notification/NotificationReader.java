package org.dotmac.integrations.notification;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.component.jms.JmsEndpoint;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.RequestBodies;
import org.dotmac.integrations.core.ProblemException.FieldError;

/**
 * Turns a request body from any door (JSON text or bytes from HTTP and JMS, a Map or a request
 * object from Java) into a validated request. The rules are the same for every door.
 */
public class NotificationReader {

    /** Exchange property naming the integration a request is for: "email" or "sms". */
    public static final String TYPE_PROPERTY = "notificationType";

    private static final Pattern GIVEN_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final ObjectMapper mapper;
    private final String defaultSubject;

    public NotificationReader(String defaultSubject) {
        this.defaultSubject = defaultSubject;
        // attachments travel as base64 strings: allow one as large as the largest email (Jackson's default is 20M chars)
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(48 * 1024 * 1024).build())
                .build();
        JsonMapper m = JsonMapper.builder(factory)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        // a number or boolean where text belongs is the caller's mistake, not something to guess
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        this.mapper = m;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The validated request as the JSON text that goes on its queue. */
    public String toJson(Exchange exchange) throws JsonProcessingException {
        return mapper.writeValueAsString(exchange.getMessage().getBody());
    }

    /**
     * A queued request as UTF-8 bytes (a BytesMessage): an Artemis TextMessage holds its text as UTF-16,
     * twice a 30 MB email's size, on top of the String it was made from.
     */
    public byte[] toJsonBytes(Exchange exchange) throws JsonProcessingException {
        return mapper.writeValueAsBytes(exchange.getMessage().getBody());
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
                    jmsId == null ? UUID.randomUUID().toString() : idOfJmsMessage(jmsId));
        }
    }

    /** Artemis' JMSMessageID is "ID:" and a UUID; any other form is turned into a name-based UUID. */
    private static String idOfJmsMessage(String jmsId) {
        String bare = jmsId.startsWith("ID:") ? jmsId.substring(3) : jmsId;
        return GIVEN_ID.matcher(bare).matches() ? bare
                : UUID.nameUUIDFromBytes(jmsId.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The REST door's own checks: 400 unless ?wait is true or false, 415 unless the body is declared as JSON. */
    public void checkRestRequest(Exchange exchange) {
        String wait = exchange.getMessage().getHeader("wait", String.class);
        if (wait != null && !wait.equalsIgnoreCase("true") && !wait.equalsIgnoreCase("false")) {
            throw ProblemException.invalid("wait", "must be true or false");
        }
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new ProblemException(415, "Unsupported media type",
                    "the request body must be JSON: send Content-Type: application/json"
                            + (type == null ? "" : " (got " + mediaType.replaceAll("[^\\w./+-]", "?") + ")"));
        }
    }

    public EmailRequest email(Exchange exchange) {
        EmailRequest request = read(exchange, EmailRequest.class);
        return valid(request, NotificationRules.problems(request));
    }

    public SmsRequest sms(Exchange exchange) {
        SmsRequest request = read(exchange, SmsRequest.class);
        return valid(request, NotificationRules.problems(request));
    }

    /** The generic call, mapped to the email or SMS request it stands for; sets {@link #TYPE_PROPERTY}. */
    public Object notification(Exchange exchange) {
        NotificationRequest request = read(exchange, NotificationRequest.class);
        String type = request.type() == null ? null : request.type().toLowerCase(Locale.ROOT);
        if (type == null) {
            throw ProblemException.invalid("type", "is required: \"email\" or \"sms\"");
        }
        Object mapped = switch (type) {
            case "email" -> new EmailRequest(request.recipient() == null ? null : List.of(request.recipient()),
                    request.subject() == null ? defaultSubject : request.subject(), request.message());
            case "sms" -> {
                if (request.subject() != null) {
                    throw ProblemException.invalid("subject", "an SMS has no subject");
                }
                yield new SmsRequest(request.recipient(), request.message());
            }
            default -> throw ProblemException.invalid("type", "must be \"email\" or \"sms\"");
        };
        exchange.getMessage().setBody(mapped);
        exchange.setProperty(TYPE_PROPERTY, type);
        try {
            return type.equals("email") ? email(exchange) : sms(exchange);
        } catch (ProblemException e) {
            throw ProblemException.invalid(e.errors().stream().map(NotificationReader::toGenericField).toList());
        }
    }

    private static FieldError toGenericField(FieldError error) {
        String field = switch (error.field()) {
            case "to" -> "recipient";
            case "content" -> "message";
            default -> error.field();
        };
        return new FieldError(field, error.message());
    }

    private <T> T read(Exchange exchange, Class<T> type) {
        Object body = exchange.getMessage().getBody();
        if (type.isInstance(body)) {
            return type.cast(body);
        }
        try {
            T value;
            if (body == null) {
                throw new ProblemException(400, "Invalid request", "the request body is empty: send a JSON object");
            } else if (body instanceof Map<?, ?> map) {
                value = mapper.convertValue(map, type);
            } else if (body instanceof byte[] bytes) {
                value = mapper.readValue(RequestBodies.requireUtf8(bytes), type);
            } else if (body instanceof InputStream in) {
                value = mapper.readValue(RequestBodies.requireUtf8(RequestBodies.bytes(in)), type);
            } else {
                String text = exchange.getMessage().getBody(String.class);
                if (text == null || text.isBlank()) {
                    throw new ProblemException(400, "Invalid request", "the request body is empty: send a JSON object");
                }
                value = mapper.readValue(text, type);
            }
            if (value == null) {
                throw new ProblemException(400, "Invalid request", "the request body must be a JSON object, not null");
            }
            return value;
        } catch (IllegalArgumentException e) {
            // convertValue wraps the mapping exception
            if (e.getCause() instanceof JacksonException je) {
                throw fromJackson(je);
            }
            throw new ProblemException(400, "Invalid request", "the request body cannot be read as a " + type.getSimpleName());
        } catch (JacksonException e) {
            throw fromJackson(e);
        } catch (IOException e) {
            throw new ProblemException(400, "Invalid request", "the request body could not be read");
        }
    }

    private static ProblemException fromJackson(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return ProblemException.invalid(u.getPropertyName(), "is not a known field; known: "
                    + String.join(", ", u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()));
        }
        if (e instanceof StreamConstraintsException) {
            return new ProblemException(400, "Invalid request", "the JSON document exceeds a size or nesting limit");
        }
        if (e instanceof JsonMappingException m && m.getCause() instanceof JsonParseException cause) {
            if (!m.getPath().isEmpty() && String.valueOf(cause.getOriginalMessage()).contains("base64")) {
                return ProblemException.invalid(fieldPath(m), "is not valid base64 (RFC 4648, padded)");
            }
            return fromJackson(cause);
        }
        if (e instanceof JsonParseException p) {
            var at = p.getLocation();
            return new ProblemException(400, "Malformed JSON", "the request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = fieldPath(m);
            return ProblemException.invalid(field, "has the wrong type: expected "
                    + (field.equals("to") || field.equals("cc") || field.equals("bcc")
                            ? "an address or a list of addresses" : "text"));
        }
        return new ProblemException(400, "Invalid request", "the request body must be a JSON object");
    }

    private static String fieldPath(JsonMappingException m) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static <T> T valid(T request, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return request;
    }
}
