package org.dotmac.integrations.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
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

/**
 * Reads a request body from any door (JSON text or bytes from HTTP and JMS, a Map or the request
 * object itself from Java) strictly: an unknown field, a number where text belongs or a trailing token
 * is a 400 naming the field, never a guess.
 */
public class JsonRequests {

    private final ObjectMapper mapper;

    public JsonRequests() {
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

    /**
     * The exchange's body as a {@code type}; {@code expected} says what a field holds where it is not
     * text (e.g. "an address or a list of addresses"), for the problem a wrongly typed value gets.
     */
    public <T> T read(Exchange exchange, Class<T> type, Map<String, String> expected) {
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
                throw fromJackson(je, expected);
            }
            throw new ProblemException(400, "Invalid request", "the request body cannot be read as a " + type.getSimpleName());
        } catch (JacksonException e) {
            throw fromJackson(e, expected);
        } catch (IOException e) {
            throw new ProblemException(400, "Invalid request", "the request body could not be read");
        }
    }

    private static ProblemException fromJackson(JacksonException e, Map<String, String> expected) {
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
            return fromJackson(cause, expected);
        }
        if (e instanceof JsonParseException p) {
            var at = p.getLocation();
            return new ProblemException(400, "Malformed JSON", "the request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = fieldPath(m);
            return ProblemException.invalid(field, "has the wrong type: expected " + expected.getOrDefault(field, "text"));
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
}
