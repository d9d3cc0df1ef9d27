package org.dotmac.integrations.sms.sns;

import java.util.ArrayList;
import java.util.List;

import org.dotmac.integrations.core.AwsClients;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProblemReport;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;
import software.amazon.awssdk.services.sns.SnsClient;

/** Amazon SNS's Publish to a phone number, with the SMS type and sender attributes. */
public final class SnsModule implements ProviderModule {

    static final String PREFIX = "sms.sns";

    @Override
    public Integration integration() {
        return Integration.SMS;
    }

    @Override
    public String name() {
        return "sns";
    }

    @Override
    public List<Setting> settings() {
        List<Setting> settings = new ArrayList<>(AwsClients.settings(PREFIX, "sms/aws", "SNS"));
        settings.add(Setting.of("sms.sns.sender-id", "", "sender id shown where the destination country supports one")
                .matching("^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$", "a sender id (1 to 11 letters and digits, at least one letter)"));
        settings.add(Setting.of("sms.sns.origination-number", "", "the number to send from (E.164), where required")
                .matching("^\\+[1-9]\\d{1,14}$", "a phone number in E.164 form, e.g. +14155550100"));
        settings.add(Setting.of("sms.sns.sms-type", "Transactional", "`Transactional` or `Promotional`")
                .check(v -> List.of("Transactional", "Promotional").contains(v) ? java.util.Optional.empty()
                        : java.util.Optional.of("'" + v + "' is not an SMS type; allowed: Transactional, Promotional")));
        return List.copyOf(settings);
    }

    @Override
    public void check(Settings settings, ProblemReport report) {
        AwsClients.check(PREFIX, settings, report);
    }

    @Override
    public String callTimeoutKey() {
        return "sms.sns.read-timeout";
    }

    @Override
    public void bind(ProviderBinding binding) {
        SnsClient client = AwsClients.configure(SnsClient.builder(), PREFIX, binding.settings()).build();
        SnsSms sms = new SnsSms(binding.settings(), client);
        binding.bind("snsSms", sms);
        binding.credentialCheck((CredentialCheck) sms::checkCredentials);
    }
}
