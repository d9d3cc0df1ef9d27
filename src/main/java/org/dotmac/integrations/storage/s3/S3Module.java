package org.dotmac.integrations.storage.s3;

import java.util.List;

import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProblemReport;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;
import org.dotmac.integrations.core.Settings;
import software.amazon.awssdk.services.s3.S3Client;

/** Amazon S3 or an S3-compatible store (MinIO) through the AWS SDK. */
public final class S3Module implements ProviderModule {

    @Override
    public Integration integration() {
        return Integration.STORAGE;
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public List<String> platformFlags() {
        return List.of("features.storage-s3-enabled", "features.storage-minio-enabled");
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("storage.bucket", "", "the bucket's name").required()
                        .matching("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
                                "an S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-')"),
                Setting.of("storage.region", "us-east-1", "region of the bucket"),
                Setting.of("storage.s3.endpoint", "", "endpoint of an S3-compatible store (MinIO: `http://minio:9000`); empty: AWS's")
                        .matching("^https?://[^/\\s]+/?$", "an http(s) endpoint, e.g. http://minio:9000"),
                Setting.of("storage.s3.path-style", "false", "path-style addressing (MinIO)").flag(),
                Setting.of("storage.s3.access-key", "", "access key; none: the AWS default credential chain")
                        .vault("storage/aws", "access_key"),
                Setting.of("storage.s3.secret-key", "", "its secret key").secret().vault("storage/aws", "secret_key"),
                Setting.of("storage.s3.auto-create-bucket", "false", "create the bucket at start-up when absent").flag(),
                Setting.of("storage.s3.sse-s3", "false", "ask for SSE-S3 (AES256) on uploads").flag(),
                Setting.of("storage.s3.sse-kms", "false", "ask for SSE-KMS on uploads").flag(),
                Setting.of("storage.s3.sse-kms-key-id", "", "the KMS key of SSE-KMS; empty: the account's default key"),
                Setting.of("storage.s3.part-size", "26214400",
                        "multipart part size and threshold, bytes (at least 5 MiB)").range(5L << 20, 5L << 30),
                Setting.of("storage.s3.max-connections", "50", "pooled connections to the store").range(1, 10_000));
    }

    @Override
    public void check(Settings settings, ProblemReport report) {
        if (settings.get("storage.s3.access-key").isPresent() != settings.get("storage.s3.secret-key").isPresent()) {
            report.report("storage.s3.secret-key", "storage.s3.access-key and storage.s3.secret-key go together; set both, "
                    + "or neither for the AWS default credential chain");
        }
        if (settings.isOn("storage.s3.sse-s3") && settings.isOn("storage.s3.sse-kms")) {
            report.report("storage.s3.sse-kms", "choose one of storage.s3.sse-s3 and storage.s3.sse-kms");
        }
    }

    @Override
    public void bind(ProviderBinding binding) {
        S3Client s3 = S3Clients.create(binding.settings());
        binding.bind("storageS3Client", s3);
        S3Storage storage = new S3Storage(binding.settings(), s3);
        binding.bind("s3Storage", storage);
        binding.credentialCheck((CredentialCheck) storage::checkCredentials);
    }
}
