package org.dotmac.integrations.core;

import java.util.List;

/**
 * A transient provider failure (I/O error, timeout, 429, 5xx): the only kind a provider's circuit
 * breaker counts, so a caller's bad request never opens it. Its own class because Resilience4j
 * records failures by exception class.
 */
public final class ProviderUnavailableException extends ProviderException {

    private final long retryAfterMillis;

    ProviderUnavailableException(String provider, int status, String title, String detail, long retryAfterMillis) {
        super(provider, Kind.UNAVAILABLE, status, title, detail, List.of());
        this.retryAfterMillis = retryAfterMillis;
    }

    /** When the provider said to come back (its Retry-After), 0 when it did not say. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** A Retry-After header in seconds or as an HTTP date (RFC 9110); 0 when absent or unreadable. */
    public static long parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()) * 1000);
        } catch (NumberFormatException e) {
            try {
                var when = java.time.ZonedDateTime.parse(value.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, when.toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (java.time.format.DateTimeParseException unreadable) {
                return 0;
            }
        }
    }
}
