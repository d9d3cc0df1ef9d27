package org.dotmac.integrations.storage;

import java.io.InputStream;
import java.util.Map;

/** One storage operation as every door hands it to the provider route. */
public record StorageRequest(Operation operation, String key, InputStream content, String contentType,
        Map<String, String> metadata, String range, String prefix, int limit, String cursor) {

    public enum Operation {
        PUT, GET, HEAD, DELETE, LIST
    }
}
