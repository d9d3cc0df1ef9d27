package org.dotmac.integrations.sms.twilio;

import java.util.List;

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
                Setting.of("sms.twilio.auth-token", "", "the account's auth token; or an API key and its secret")
                        .requiredWhen(s -> s.get("sms.twilio.api-key-sid").isEmpty(),
                                "unless sms.twilio.api-key-sid and sms.twilio.api-key-secret are set")
                        .secret().vault("sms/twilio", "password", s -> s.get("sms.twilio.api-key-sid").isEmpty(),
                                "not when an API key is set"),
                Setting.of("sms.twilio.api-key-sid", "", "an API key (`SK…`), instead of the auth token"),
                Setting.of("sms.twilio.api-key-secret", "", "the API key's secret")
                        .requiredWhen(s -> s.get("sms.twilio.api-key-sid").isPresent(), "and sms.twilio.api-key-sid is set")
                        .secret(),
                Setting.of("sms.twilio.from", "", "sender number in E.164 form; or a messaging service SID"),
                Setting.of("sms.twilio.messaging-service-sid", "", "messaging service (`MG…`), used instead of `from` when set")
                        .matching("^MG[0-9a-fA-F]{32}$", "a messaging service SID (MG followed by 32 hex digits)"),
                Setting.of("sms.twilio.status-callback", "", "URL Twilio posts delivery status to (optional)")
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

    @Override
    public String callTimeoutKey() {
        return "sms.twilio.read-timeout";
    }

    @Override
    public void bind(ProviderBinding binding) {
        TwilioSms twilio = new TwilioSms(binding.settings());
        binding.bind("twilioSms", twilio);
        binding.credentialCheck((CredentialCheck) twilio::checkCredentials);
        binding.context().getComponent("twilio", TwilioComponent.class).setRestClient(twilio.client());
    }
}
