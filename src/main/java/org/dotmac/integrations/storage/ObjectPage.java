package org.dotmac.integrations.storage;

import java.util.List;

/** One page of a listing, in key order; {@code nextCursor} is null on the last page. */
public record ObjectPage(List<ObjectInfo> objects, String nextCursor) {
}
