package org.dotmac.integrations.core;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * What the AWS providers (SES, SNS) share under {@code <prefix>.}: region, an endpoint instead of AWS's
 * own, keys from settings or Vault or else the AWS default credential chain, a call timeout, and no
 * retries by the SDK (a retry behind the gateway's back can send twice).
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static List<Setting> settings(String prefix, String vaultPath, String service) {
        return List.of(
                Setting.of(prefix + ".region", "us-east-1", "the " + service + " region")
                        .matching("^[a-z]{2}(-[a-z]+)+-\\d$", "an AWS region such as eu-west-1"),
                Setting.of(prefix + ".endpoint", "", "an endpoint instead of " + service + "'s own (a test server); empty: AWS's")
                        .matching("^https?://[^/\\s]+/?$", "an http(s) endpoint, e.g. http://127.0.0.1:5000"),
                Setting.of(prefix + ".access-key", "", "access key; none: the AWS default credential chain")
                        .vault(vaultPath, "access_key"),
                Setting.of(prefix + ".secret-key", "", "its secret key").secret().vault(vaultPath, "secret_key"),
                Setting.of(prefix + ".read-timeout", "30000", "time a " + service + " call may take, ms (504 beyond)")
                        .milliseconds());
    }

    /** The keys go together: both, or neither for the default chain. */
    public static void check(String prefix, Settings settings, ProblemReport report) {
        if (settings.get(prefix + ".access-key").isPresent() != settings.get(prefix + ".secret-key").isPresent()) {
            report.report(prefix + ".secret-key", prefix + ".access-key and " + prefix + ".secret-key go together; set both, "
                    + "or neither for the AWS default credential chain");
        }
    }

    public static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, String prefix,
            Settings settings) {
        builder.region(Region.of(settings.get(prefix + ".region", "us-east-1")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMillis(settings.getLong(prefix + ".read-timeout", 30_000)))
                        .retryStrategy(r -> r.maxAttempts(1)))
                .credentialsProvider(credentials(prefix, settings));
        settings.get(prefix + ".endpoint").map(URI::create).ifPresent(builder::endpointOverride);
        return builder;
    }

    private static AwsCredentialsProvider credentials(String prefix, Settings settings) {
        if (settings.get(prefix + ".access-key").isPresent()) {
            // read at every signing: keys rotated in Vault apply to the next request
            return () -> AwsBasicCredentials.create(settings.get(prefix + ".access-key").orElseThrow(),
                    settings.get(prefix + ".secret-key").orElse(""));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
