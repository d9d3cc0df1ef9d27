package org.dotmac.integrations.storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.storage.StorageRequest.Operation;

/**
 * The storage operations every door reaches (direct:storage-put, -get, -delete, -list), and the
 * provider call behind them: the request is checked here, once, whatever the door.
 */
public class StorageOperations {

    private final int defaultLimit;
    private final int maxLimit;
    private final long maxObjectBytes;

    public StorageOperations(Settings settings) {
        this.defaultLimit = settings.getInt("storage.list-limit", 100);
        this.maxLimit = settings.getInt("storage.list-max-limit", 1000);
        this.maxObjectBytes = settings.getLong("storage.max-object-size", 5L << 30);
    }

    public StorageRequest put(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        InputStream content = in.getBody(InputStream.class);
        if (content == null) {
            content = new ByteArrayInputStream(new byte[0]);
        }
        // a declared length over the limit is refused before a byte is read; an undeclared one
        // (chunked) is counted as it streams, for every provider
        Long declared = body instanceof byte[] bytes ? Long.valueOf(bytes.length) : in.getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxObjectBytes) {
            throw tooLarge();
        }
        content = new UploadLimit(content, maxObjectBytes, StorageOperations::tooLarge);
        @SuppressWarnings("unchecked")
        Map<String, String> metadata = in.getHeader(StorageHeaders.METADATA, Map.class);
        return new StorageRequest(Operation.PUT, key(in), content, in.getHeader(Exchange.CONTENT_TYPE, String.class),
                metadata, null, null, 0, null, declared == null || body == null ? -1 : declared);
    }

    private static ProblemException tooLarge() {
        return new ProblemException(413, "Content Too Large", "the object is larger than storage.max-object-size");
    }

    public StorageRequest get(Exchange exchange) {
        Message in = exchange.getMessage();
        return new StorageRequest(Operation.GET, key(in), null, null, null, in.getHeader(StorageHeaders.RANGE, String.class),
                null, 0, null, -1);
    }

    public StorageRequest head(Exchange exchange) {
        return new StorageRequest(Operation.HEAD, key(exchange.getMessage()), null, null, null, null, null, 0, null, -1);
    }

    public StorageRequest delete(Exchange exchange) {
        return new StorageRequest(Operation.DELETE, key(exchange.getMessage()), null, null, null, null, null, 0, null, -1);
    }

    public StorageRequest list(Exchange exchange) {
        Message in = exchange.getMessage();
        String limit = in.getHeader(StorageHeaders.LIMIT, String.class);
        int n = defaultLimit;
        if (limit != null && !limit.isBlank()) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > maxLimit) {
                throw ProblemException.invalid("limit", "must be a whole number from 1 to " + maxLimit);
            }
        }
        String prefix = StorageKeys.checkPrefix(in.getHeader(StorageHeaders.PREFIX, String.class));
        String cursor = in.getHeader(StorageHeaders.CURSOR, String.class);
        return new StorageRequest(Operation.LIST, null, null, null, null, null, prefix,
                n, cursor == null || cursor.isEmpty() ? null : cursor, -1);
    }

    private static String key(Message in) {
        return StorageKeys.check(in.getHeader(StorageHeaders.KEY, String.class));
    }

    static ProblemException notFound(String key) {
        return new ProblemException(404, "Not Found", "no object with key '" + key.replaceAll("\\p{Cntrl}", "?") + "'");
    }
}
