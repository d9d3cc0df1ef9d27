package org.dotmac.integrations.sms.outbox;

import java.util.List;

import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;

/** The development provider: text messages kept in the outbox (GET /api/v1/outbox), never delivered. */
public final class SmsOutboxModule implements ProviderModule {

    @Override
    public Integration integration() {
        return Integration.SMS;
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public List<Setting> settings() {
        return List.of();
    }

    @Override
    public boolean remote() {
        return false;
    }

    @Override
    public void bind(ProviderBinding binding) {
        // the outbox itself is the gateway's (its API reads it whichever provider is configured)
    }
}
