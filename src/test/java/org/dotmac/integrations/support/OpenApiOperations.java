package org.dotmac.integrations.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operations of the published OpenAPI document with their full paths: a path item's own
 * {@code servers} (the provider webhooks, outside {@code /api/v1}) before the document's.
 */
public final class OpenApiOperations {

    /**
     * One operation. {@code path} is the full path as templated in the document; {@code keyed} is false for
     * an operation with {@code security: []} (authenticated by a provider's signature, not an API key).
     */
    public record Operation(String method, String path, JsonNode node, boolean keyed) {

        public String name() {
            return method + " " + path;
        }
    }

    private OpenApiOperations() {
    }

    public static JsonNode document() throws IOException {
        try (InputStream in = OpenApiOperations.class.getResourceAsStream("/openapi/gateway-api.json")) {
            return TestGateway.JSON.readTree(in);
        }
    }

    public static List<Operation> all() throws IOException {
        return of(document());
    }

    public static List<Operation> of(JsonNode document) {
        String base = document.path("servers").path(0).path("url").asText();
        List<Operation> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> {
            String server = path.getValue().has("servers") ? path.getValue().path("servers").path(0).path("url").asText() : base;
            String prefix = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
            path.getValue().properties().forEach(operation -> {
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                if (List.of("GET", "PUT", "POST", "DELETE", "HEAD", "PATCH").contains(method)) {
                    JsonNode security = operation.getValue().path("security");
                    boolean keyed = !(security.isArray() && security.isEmpty());
                    operations.add(new Operation(method, prefix + path.getKey(), operation.getValue(), keyed));
                }
            });
        });
        return operations;
    }
}
