package org.dotmac.integrations.api;

import java.util.List;

/**
 * A transient provider failure (I/O error, timeout, 429, 5xx): the only kind a provider's circuit
 * breaker counts, so a caller's bad request never opens it. Its own class because Resilience4j
 * records failures by exception class.
 */
public final class ProviderUnavailableException extends ProviderException {

    ProviderUnavailableException(String provider, int status, String title, String detail) {
        super(provider, Kind.UNAVAILABLE, status, title, detail, List.of());
    }
}
