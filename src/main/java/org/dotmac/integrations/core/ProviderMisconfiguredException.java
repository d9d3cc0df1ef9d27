package org.dotmac.integrations.core;

import java.util.List;

/**
 * Our configuration or account was refused (credentials, sender identity, account paused): an operator
 * must act. Its own class so that a fallback provider can take over on it, as on an unavailable one,
 * while a breaker never counts it.
 */
public final class ProviderMisconfiguredException extends ProviderException {

    ProviderMisconfiguredException(String provider, String detail, boolean credentialsRefused) {
        super(provider, Kind.MISCONFIGURED, 502, "Bad Gateway", detail, List.of(), credentialsRefused);
    }
}
