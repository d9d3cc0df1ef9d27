package org.dotmac.integrations.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Ways to spoil a valid JSON request, for the malformed-input tests of every door. */
public final class BadJson {

    /** Values of a type no text or address field takes. */
    public static final List<String> WRONG_TYPES = List.of("42", "true", "{\"a\":1}", "[{\"a\":1}]", "[42]", "-1.5e300");

    /** What would start a new mail header, or is no text: as JSON escapes inside a string. */
    public static final List<String> LINE_BREAKERS = List.of("\\r\\nBcc: evil@x.com", "\\nX-Injected: 1", "\\u0000",
            "\\u2028X: 1", "\\ud800");

    /**
     * Gateway settings with every integration on and search pointed at an engine that is not there:
     * a malformed request must be refused before any engine is asked (else it would get a 503).
     */
    public static final java.util.Map<String, String> EVERY_INTEGRATION_NO_ENGINE = java.util.Map.of(
            "features.search-enabled", "true",
            "features.search-elasticsearch-enabled", "true",
            "search.provider", "elasticsearch",
            "search.elasticsearch.hosts", "127.0.0.1:1");

    /** Those of {@link #LINE_BREAKERS} that no text may hold, a message body included. */
    public static final List<String> NO_TEXT = List.of("\\u0000", "\\ud800");

    private BadJson() {
    }

    public static JsonNode parse(String json) {
        try {
            return TestGateway.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The object with one field's value replaced by raw JSON text (which may itself be no valid JSON). */
    public static String replace(String json, String field, String rawValue) {
        StringBuilder out = new StringBuilder("{");
        parse(json).properties().forEach(e -> out.append(out.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":")
                .append(e.getKey().equals(field) ? rawValue : e.getValue().toString()));
        return out.append('}').toString();
    }

    public static String remove(String json, String field) {
        ObjectNode node = (ObjectNode) parse(json);
        node.remove(field);
        return node.toString();
    }

    /** The text of a field: its value, or the first of its values. */
    public static String text(String json, String field) {
        JsonNode value = parse(json).get(field);
        return value.isArray() ? value.get(0).asText() : value.asText();
    }

    /** The JSON's bytes with a sequence that is no UTF-8 (overlong, surrogate, truncated...) inside its first string. */
    public static byte[] withInvalidUtf8(String json, Random random) {
        byte[][] invalid = {{(byte) 0xff}, {(byte) 0xc3, (byte) 0x28}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        int at = json.indexOf(":\"") + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(invalid[random.nextInt(invalid.length)]);
        out.writeBytes(json.substring(at).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Arrays nested this deep. */
    public static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }
}
