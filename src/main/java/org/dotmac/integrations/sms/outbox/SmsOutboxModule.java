package org.dotmac.integrations.sms.outbox;

import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.LocalProviderModule;
import org.dotmac.integrations.core.ProviderBinding;

/** The development provider: text messages kept in the outbox (GET /api/v1/outbox), never delivered. */
public final class SmsOutboxModule extends LocalProviderModule {

    public SmsOutboxModule() {
        super(Integration.SMS, "outbox");
    }

    @Override
    public void bind(ProviderBinding binding) {
        // the outbox itself is the gateway's (its API reads it whichever provider is configured)
    }
}
