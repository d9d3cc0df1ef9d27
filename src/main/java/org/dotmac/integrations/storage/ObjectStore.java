package org.dotmac.integrations.storage;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** What every storage provider does; each one is called by its route, {@code storage-<provider>}. */
public interface ObjectStore {

    /** Stores the stream as the whole object, replacing any object of that key at once. */
    ObjectInfo put(String key, InputStream body, String contentType, Map<String, String> metadata) throws Exception;

    Optional<ObjectInfo> head(String key) throws Exception;

    /** The object's bytes, or the range of them; empty when there is no such object. */
    Optional<ObjectContent> get(String key, String rangeHeader) throws Exception;

    /** False when there was no such object. */
    boolean delete(String key) throws Exception;

    ObjectPage list(String prefix, int limit, String cursor) throws Exception;

    /** The provider's part of a checked request: ObjectInfo (put, head), ObjectContent (get), Boolean (delete), ObjectPage (list). */
    default Object perform(StorageRequest request) throws Exception {
        return switch (request.operation()) {
            case PUT -> put(request.key(), request.content(), request.contentType(), request.metadata());
            case HEAD -> head(request.key()).orElseThrow(() -> StorageOperations.notFound(request.key()));
            case GET -> get(request.key(), request.range()).orElseThrow(() -> StorageOperations.notFound(request.key()));
            case DELETE -> {
                if (!delete(request.key())) {
                    throw StorageOperations.notFound(request.key());
                }
                yield Boolean.TRUE;
            }
            case LIST -> list(request.prefix(), request.limit(), request.cursor());
        };
    }
}
