package org.dotmac.integrations.email.sendgrid;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;

/** SendGrid's v3 mail/send API over camel-http. */
public final class SendGridModule implements ProviderModule {

    @Override
    public Integration integration() {
        return Integration.EMAIL;
    }

    @Override
    public String name() {
        return "sendgrid";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("email.sendgrid.api-key", "", "a SendGrid API key with mail send access")
                        .required().secret().vault("email/sendgrid", "api_key"),
                Setting.of("email.sendgrid.base-url", "https://api.sendgrid.com",
                                "SendGrid API base URL (`https://api.eu.sendgrid.com` for EU accounts)")
                        .matching("^https?://[^/\\s]+(/.*)?$", "an http(s) URL; e.g. https://api.sendgrid.com"),
                Setting.of("email.sendgrid.connect-timeout", "5000", "connect timeout, ms").milliseconds(),
                Setting.of("email.sendgrid.read-timeout", "30000", "time to wait for SendGrid's answer, ms (504 beyond)")
                        .milliseconds(),
                Setting.of(SendGridEvents.KEY_SETTING, "",
                                "the Event Webhook's verification key (base64 X.509 public key, from SendGrid's Mail Settings);"
                                        + " without one, POST /webhooks/sendgrid refuses every event (401)")
                        .optionalVault("email/sendgrid", "webhook_verification_key").check(SendGridEvents::keyProblem));
    }

    @Override
    public String callTimeoutKey() {
        return "email.sendgrid.read-timeout";
    }

    @Override
    public void bind(ProviderBinding binding) {
        SendGridMail sendGrid = new SendGridMail(binding.settings());
        binding.bind("sendGrid", sendGrid);
        binding.credentialCheck((CredentialCheck) sendGrid::checkCredentials);
        binding.bind("sendGridEvents", new SendGridEvents(binding.settings(), binding.context().getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class)));
    }
}
