package org.dotmac.integrations.storage;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** What a store knows of one object. {@code etag} is quoted, as in HTTP. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectInfo(String key, long size, String etag, @JsonIgnore Instant modified, String contentType,
        Map<String, String> metadata) {

    public ObjectInfo {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** ISO-8601, for JSON. */
    public String getLastModified() {
        return modified.toString();
    }
}
