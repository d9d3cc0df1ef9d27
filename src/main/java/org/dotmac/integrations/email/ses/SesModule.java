package org.dotmac.integrations.email.ses;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProblemReport;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * Amazon SES through camel-aws2-ses (the SES v1 API's SendRawEmail: raw MIME, at most 10 MiB and 50
 * recipients per message), with the configured keys or else the AWS default credential chain.
 */
public final class SesModule implements ProviderModule {

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
        return List.of(
                Setting.of("email.ses.region", "us-east-1", "the SES region").matching("^[a-z]{2}(-[a-z]+)+-\\d$",
                        "an AWS region such as eu-west-1"),
                Setting.of("email.ses.endpoint", "", "an endpoint instead of SES's own (a test server); empty: AWS's")
                        .matching("^https?://[^/\\s]+/?$", "an http(s) endpoint, e.g. http://127.0.0.1:5000"),
                Setting.of("email.ses.access-key", "", "access key; none: the AWS default credential chain")
                        .vault("email/ses", "access_key"),
                Setting.of("email.ses.secret-key", "", "its secret key").secret().vault("email/ses", "secret_key"),
                Setting.of("email.ses.configuration-set", "",
                        "configuration set of every message (event publishing, dedicated IPs); empty: none"),
                Setting.of("email.ses.read-timeout", "30000", "time an SES call may take, ms (504 beyond)").milliseconds());
    }

    @Override
    public void check(Settings settings, ProblemReport report) {
        if (settings.get("email.ses.access-key").isPresent() != settings.get("email.ses.secret-key").isPresent()) {
            report.report("email.ses.secret-key", "email.ses.access-key and email.ses.secret-key go together; set both, "
                    + "or neither for the AWS default credential chain");
        }
    }

    @Override
    public String callTimeoutKey() {
        return "email.ses.read-timeout";
    }

    @Override
    public void bind(ProviderBinding binding) {
        Settings settings = binding.settings();
        var builder = SesClient.builder()
                .region(Region.of(settings.get("email.ses.region", "us-east-1")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMillis(settings.getLong("email.ses.read-timeout", 30_000)))
                        // retries are the gateway's decision: an SDK retry behind our back can send twice
                        .retryStrategy(r -> r.maxAttempts(1)))
                .credentialsProvider(credentials(settings));
        settings.get("email.ses.endpoint").map(URI::create).ifPresent(builder::endpointOverride);
        SesClient client = builder.build();
        binding.bind("sesClient", client);
        SesMail mail = new SesMail(settings, client);
        binding.bind("sesMail", mail);
        binding.credentialCheck((CredentialCheck) mail::checkCredentials);
    }

    private static AwsCredentialsProvider credentials(Settings settings) {
        if (settings.get("email.ses.access-key").isPresent()) {
            // read at every signing: keys rotated in Vault apply to the next request
            return () -> AwsBasicCredentials.create(settings.get("email.ses.access-key").orElseThrow(),
                    settings.get("email.ses.secret-key").orElse(""));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
