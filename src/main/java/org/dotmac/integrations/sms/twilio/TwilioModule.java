package org.dotmac.integrations.sms.twilio;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.twilio.TwilioComponent;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProblemReport;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.sms.SmsRules;

/** Twilio's Messages API through camel-twilio, with the account's auth token or an API key. */
public final class TwilioModule implements ProviderModule {

    private static final String SID = "(AC followed by 32 hex digits)";

    @Override
    public Integration integration() {
        return Integration.SMS;
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("sms.twilio.account-sid", "", "the account SID " + SID).required()
                        .matching("^AC[0-9a-fA-F]{32}$", "an account SID " + SID).vault("sms/twilio", "username"),
                Setting.of("sms.twilio.auth-token", "", "the account's auth token; or an API key and its secret"
                                + " (the auth token is still needed to check status callbacks: Twilio signs them with it)")
                        .requiredWhen(TwilioModule::needsAuthToken,
                                "unless sms.twilio.api-key-sid and sms.twilio.api-key-secret are set and no status callback is asked for")
                        .secret().vault("sms/twilio", "password", TwilioModule::needsAuthToken,
                                "not when an API key is set and no status callback is asked for"),
                Setting.of("sms.twilio.api-key-sid", "", "an API key (`SK…`), instead of the auth token"),
                Setting.of("sms.twilio.api-key-secret", "", "the API key's secret")
                        .requiredWhen(s -> s.get("sms.twilio.api-key-sid").isPresent(), "and sms.twilio.api-key-sid is set")
                        .secret(),
                Setting.of("sms.twilio.from", "", "sender number in E.164 form; or a messaging service SID"),
                Setting.of("sms.twilio.messaging-service-sid", "", "messaging service (`MG…`), used instead of `from` when set")
                        .matching("^MG[0-9a-fA-F]{32}$", "a messaging service SID (MG followed by 32 hex digits)"),
                Setting.of("sms.twilio.status-callback", "", "URL Twilio posts delivery status to, exactly as Twilio"
                                + " calls it (it signs that URL); empty: the gateway's own POST /webhooks/twilio under"
                                + " gateway.public-url, when that is set")
                        .matching("^https?://\\S+$", "an http(s) URL"),
                Setting.of("sms.twilio.base-url", "https://api.twilio.com", "where Twilio requests go")
                        .matching("^https?://[^/\\s]+/?$", "an http(s) base URL; e.g. https://api.twilio.com"),
                Setting.of("sms.twilio.connect-timeout", "5000", "connect timeout, ms").milliseconds(),
                Setting.of("sms.twilio.read-timeout", "30000", "time to wait for Twilio's answer, ms (504 beyond)")
                        .milliseconds());
    }

    /** A sender is needed: a number, or a messaging service, which wins when both are set. */
    @Override
    public void check(Settings settings, ProblemReport report) {
        var from = settings.get("sms.twilio.from");
        var service = settings.get("sms.twilio.messaging-service-sid");
        if (from.isEmpty() && service.isEmpty()) {
            report.report("sms.twilio.from", "required while sms.provider is twilio: a sender number in E.164 form, "
                    + "or set sms.twilio.messaging-service-sid instead");
        } else if (from.isPresent() && service.isEmpty() && !SmsRules.isE164(from.get())) {
            report.report("sms.twilio.from", "'" + from.get() + "' is not a phone number in E.164 form, e.g. +14155550100");
        }
    }

    /** The auth token authenticates the calls, unless an API key does, and always the status callbacks. */
    private static boolean needsAuthToken(Settings settings) {
        return settings.get("sms.twilio.api-key-sid").isEmpty() || TwilioEvents.statusCallback(settings).isPresent();
    }

    @Override
    public String callTimeoutKey() {
        return "sms.twilio.read-timeout";
    }

    @Override
    public void bind(ProviderBinding binding) {
        TwilioSms twilio = new TwilioSms(binding.settings());
        binding.bind("twilioSms", twilio);
        binding.bind("twilioEvents", new TwilioEvents(binding.settings(), binding.context().getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class)));
        binding.credentialCheck((CredentialCheck) twilio::checkCredentials);
        binding.context().getComponent("twilio", TwilioComponent.class).setRestClient(twilio.client());
    }
}
