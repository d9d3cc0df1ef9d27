package org.dotmac.integrations.storage;

/** Headers of the direct storage endpoints, for Java callers. */
public final class StorageHeaders {

    /** The object's key. */
    public static final String KEY = "StorageKey";
    /** put: user metadata, a {@code Map<String, String>}. */
    public static final String METADATA = "StorageMetadata";
    /** get: a {@code Range} value such as {@code bytes=0-99}. */
    public static final String RANGE = "StorageRange";
    /** list: key prefix, page size and the cursor of the previous page. */
    public static final String PREFIX = "StoragePrefix";
    public static final String LIMIT = "StorageLimit";
    public static final String CURSOR = "StorageCursor";

    private StorageHeaders() {
    }
}
