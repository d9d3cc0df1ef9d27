package org.dotmac.integrations.email.ses;

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
import software.amazon.awssdk.services.ses.SesClient;

/**
 * Amazon SES through camel-aws2-ses (the SES v1 API's SendRawEmail: raw MIME, at most 10 MiB and 50
 * recipients per message), with the configured keys or else the AWS default credential chain.
 */
public final class SesModule implements ProviderModule {

    static final String PREFIX = "email.ses";

    @Override
    public Integration integration() {
        return Integration.EMAIL;
    }

    @Override
    public String name() {
        return "ses";
    }

    @Override
    public List<Setting> settings() {
        List<Setting> settings = new ArrayList<>(AwsClients.settings(PREFIX, "email/ses", "SES"));
        settings.add(Setting.of("email.ses.configuration-set", "",
                "configuration set of every message (event publishing, dedicated IPs); empty: none"));
        return List.copyOf(settings);
    }

    @Override
    public void check(Settings settings, ProblemReport report) {
        AwsClients.check(PREFIX, settings, report);
    }

    @Override
    public String callTimeoutKey() {
        return "email.ses.read-timeout";
    }

    @Override
    public void bind(ProviderBinding binding) {
        SesClient client = AwsClients.configure(SesClient.builder(), PREFIX, binding.settings()).build();
        binding.bind("sesClient", client);
        SesMail mail = new SesMail(binding.settings(), client);
        binding.bind("sesMail", mail);
        binding.credentialCheck((CredentialCheck) mail::checkCredentials);
    }
}
