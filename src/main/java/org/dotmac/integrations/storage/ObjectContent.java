package org.dotmac.integrations.storage;

import java.io.InputStream;

/** An object's bytes, or the requested range of them ({@code offset}, {@code length}), as a stream to close. */
public record ObjectContent(ObjectInfo info, InputStream body, long offset, long length) {

    public boolean partial() {
        return offset > 0 || length < info.size();
    }
}
