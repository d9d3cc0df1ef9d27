package org.dotmac.integrations.storage;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.util.IOHelper;
import org.dotmac.integrations.core.HttpNames;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.HeaderScrub;

/**
 * The HTTP door of storage: /api/v1/storage/objects[/{key}] turned into a storage operation, and
 * its result into an HTTP answer with the object's headers. Bodies stay streams both ways.
 */
public class StorageHttp {

    static final String BASE = "/api/v1/storage/objects";
    static final String META_PREFIX = "x-meta-";
    /** S3's limit for user metadata, names and values together. */
    static final int MAX_METADATA_BYTES = 2048;
    private static final String OPERATION = "storageOperation";
    private static final String IF_NONE_MATCH = "storageIfNoneMatch";

    private final ObjectMapper json = new ObjectMapper();

    /** Reads method, path, query and headers into the direct endpoint's headers; names the operation. */
    public void request(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class).toUpperCase(Locale.ROOT);
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        String path = uri.split("\\?", 2)[0];
        String rest = path.length() > BASE.length() ? path.substring(BASE.length() + 1) : "";
        if (rest.isEmpty()) {
            if (!method.equals("GET")) {
                throw new ProblemException(405, "Method Not Allowed", method + " is not allowed on " + BASE + "; allowed: GET");
            }
            // query parameters arrive as headers
            in.setHeader(StorageHeaders.PREFIX, in.getHeader("prefix", String.class));
            in.setHeader(StorageHeaders.LIMIT, in.getHeader("limit", String.class));
            in.setHeader(StorageHeaders.CURSOR, in.getHeader("cursor", String.class));
            exchange.setProperty(OPERATION, "list");
            return;
        }
        in.setHeader(StorageHeaders.KEY, StorageKeys.fromPath(rest));
        exchange.setProperty(IF_NONE_MATCH, in.getHeader("If-None-Match", String.class));
        switch (method) {
            case "PUT" -> {
                in.setHeader(StorageHeaders.METADATA, metadata(in));
                exchange.setProperty(OPERATION, "put");
            }
            case "GET" -> {
                in.setHeader(StorageHeaders.RANGE, in.getHeader("Range", String.class));
                exchange.setProperty(OPERATION, "get");
            }
            case "HEAD" -> exchange.setProperty(OPERATION, "head");
            case "DELETE" -> exchange.setProperty(OPERATION, "delete");
            default -> throw new ProblemException(405, "Method Not Allowed", method + " is not allowed on objects");
        }
    }

    /** The operation's result as the HTTP answer. */
    public void respond(Exchange exchange) throws Exception {
        Message out = exchange.getMessage();
        Object result = out.getBody();
        String operation = exchange.getProperty(OPERATION, String.class);
        String ifNoneMatch = exchange.getProperty(IF_NONE_MATCH, String.class);
        HeaderScrub.keepCamel(out);
        switch (operation) {
            case "put" -> {
                ObjectInfo info = (ObjectInfo) result;
                out.setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
                out.setHeader("ETag", info.etag());
                out.setHeader("Location", BASE + "/" + encode(info.key()));
                out.setHeader(Exchange.CONTENT_TYPE, "application/json");
                out.setBody(json.writeValueAsString(info));
            }
            case "get", "head" -> {
                ObjectContent content = result instanceof ObjectContent c ? c : null;
                ObjectInfo info = content != null ? content.info() : (ObjectInfo) result;
                objectHeaders(out, info);
                if (matches(ifNoneMatch, info.etag())) {
                    if (content != null) {
                        IOHelper.close(content.body());
                    }
                    out.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
                    out.setBody(null);
                    return;
                }
                if (content == null) {
                    out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    out.setHeader(HttpNames.DECLARED_LENGTH, info.size());
                    out.setBody(null);
                } else {
                    out.setHeader(Exchange.HTTP_RESPONSE_CODE, content.partial() ? 206 : 200);
                    out.setHeader(HttpNames.DECLARED_LENGTH, content.length());
                    if (content.partial()) {
                        out.setHeader("Content-Range", "bytes " + content.offset() + "-"
                                + (content.offset() + content.length() - 1) + "/" + info.size());
                    }
                    out.setBody(content.body());
                }
            }
            case "delete" -> {
                out.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
                out.setBody(null);
            }
            default -> {
                out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                out.setHeader(Exchange.CONTENT_TYPE, "application/json");
                out.setBody(json.writeValueAsString(result));
            }
        }
    }

    private static void objectHeaders(Message out, ObjectInfo info) {
        out.setHeader(Exchange.CONTENT_TYPE, info.contentType());
        out.setHeader("ETag", info.etag());
        out.setHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(info.modified().atOffset(ZoneOffset.UTC)));
        out.setHeader("Accept-Ranges", "bytes");
        info.metadata().forEach((name, value) -> out.setHeader("X-Meta-" + name, value));
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }

    private static Map<String, String> metadata(Message in) {
        Map<String, String> metadata = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<String, Object> header : in.getHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
                String key = name.substring(META_PREFIX.length());
                String value = String.valueOf(header.getValue());
                if (!key.matches("[a-z0-9-]+") || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                    throw ProblemException.invalid("X-Meta-" + key,
                            "metadata names are letters, digits and '-'; values printable US-ASCII");
                }
                bytes += key.length() + value.getBytes(StandardCharsets.UTF_8).length;
                metadata.put(key, value);
            }
        }
        if (bytes > MAX_METADATA_BYTES) {
            throw ProblemException.invalid("X-Meta-*", "metadata holds " + bytes + " bytes; at most " + MAX_METADATA_BYTES);
        }
        return metadata;
    }

    private static String encode(String key) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return encoded.toString();
    }
}
