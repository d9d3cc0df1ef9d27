package org.dotmac.integrations.storage.s3;

import java.net.URI;

import org.dotmac.integrations.core.Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client camel-aws2-s3 uses for the s3 provider: region, an endpoint for MinIO and other
 * S3-compatible stores, path-style addressing, and the configured keys or else the AWS default
 * credential chain. Built here so that keys never appear in an endpoint URI.
 */
public final class S3Clients {

    private S3Clients() {
    }

    public static S3Client create(Settings settings) {
        var builder = S3Client.builder()
                .region(Region.of(settings.get("storage.region", "us-east-1")))
                .forcePathStyle(settings.isOn("storage.s3.path-style"))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(settings.getInt("storage.s3.max-connections", 50)));
        settings.get("storage.s3.endpoint").map(URI::create).ifPresent(endpoint -> {
            builder.endpointOverride(endpoint);
            // S3-compatible stores (MinIO releases, s3proxy) do not all take the checksum trailers
            // the SDK sends to AWS by default: checksums only where the API requires them
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        });
        return builder.credentialsProvider(credentials(settings)).build();
    }

    private static AwsCredentialsProvider credentials(Settings settings) {
        if (settings.get("storage.s3.access-key").isPresent() && settings.get("storage.s3.secret-key").isPresent()) {
            // read at every signing: keys rotated in Vault apply to the next request
            return () -> AwsBasicCredentials.create(settings.get("storage.s3.access-key").orElseThrow(),
                    settings.get("storage.s3.secret-key").orElseThrow());
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
