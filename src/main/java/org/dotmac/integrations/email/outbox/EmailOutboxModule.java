package org.dotmac.integrations.email.outbox;

import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.LocalProviderModule;
import org.dotmac.integrations.core.ProviderBinding;

/** The development provider: emails kept in the outbox (GET /api/v1/outbox), never delivered. */
public final class EmailOutboxModule extends LocalProviderModule {

    public EmailOutboxModule() {
        super(Integration.EMAIL, "outbox");
    }

    @Override
    public void bind(ProviderBinding binding) {
        // the outbox itself is the gateway's (its API reads it whichever provider is configured)
    }
}
