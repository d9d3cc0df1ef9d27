package org.dotmac.integrations.storage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.dotmac.integrations.core.ProblemException;

/** One page of a listing, in key order; {@code nextCursor} is null on the last page. */
public record ObjectPage(List<ObjectInfo> objects, String nextCursor) {

    /** The cursor of the page after the object with this key: the same for every store. */
    public static String cursorAfter(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a cursor this API gave out continues after; 400 for any other text. */
    public static String keyOf(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("cursor", "is not a cursor this API gave out");
        }
    }
}
