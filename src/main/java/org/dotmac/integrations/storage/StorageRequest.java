package org.dotmac.integrations.storage;

import java.io.InputStream;
import java.util.Map;

/**
 * One storage operation as every door hands it to the provider route. {@code length} is an upload's
 * size when it is known before its body is read (a declared Content-Length, a byte array), else -1.
 */
public record StorageRequest(Operation operation, String key, InputStream content, String contentType,
        Map<String, String> metadata, String range, String prefix, int limit, String cursor, long length) {

    public enum Operation {
        PUT, GET, HEAD, DELETE, LIST
    }
}
