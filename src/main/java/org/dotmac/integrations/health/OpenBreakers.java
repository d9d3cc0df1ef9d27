package org.dotmac.integrations.health;

import org.dotmac.integrations.core.ProviderException;

/** A provider whose circuit breaker is open is not called: the caller gets a transient 503 at once. */
public class OpenBreakers {

    public void refuse(String provider) {
        throw ProviderException.unavailable(provider, "the circuit breaker of " + provider
                + " is open after repeated failures; nothing was sent, try again later");
    }
}
