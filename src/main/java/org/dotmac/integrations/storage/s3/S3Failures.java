package org.dotmac.integrations.storage.s3;

import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Whose fault a failed object store call is: ours (a problem the gateway raised inside the SDK's call),
 * the gateway's configuration (credentials, a missing bucket, an encryption the store lacks: 502), or
 * the store's for now (5xx, no connection: 503).
 */
final class S3Failures {

    private S3Failures() {
    }

    static RuntimeException classify(Throwable failure) {
        // ours, raised inside the SDK's call (an upload past storage.max-object-size) and wrapped by it
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProblemException problem) {
                return problem;
            }
        }
        if (failure instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            if (status == 401 || status == 403) {
                return ProviderException.credentialsRefused("s3", "the object store refused the gateway's credentials (" + code
                        + "); check storage.s3.access-key and storage.s3.secret-key");
            }
            if (status == 404 && "NoSuchBucket".equals(code)) {
                return ProviderException.misconfigured("s3", "the bucket does not exist; check storage.bucket "
                        + "or set storage.s3.auto-create-bucket=true");
            }
            if (status == 501) {
                return ProviderException.misconfigured("s3", "the object store does not implement a feature the gateway "
                        + "asked for (" + code + "); check storage.s3.sse-s3 and storage.s3.sse-kms");
            }
            if (status >= 500) {
                return ProviderException.unavailable("s3", "the object store failed (HTTP " + status + ")");
            }
        }
        return ProviderException.unavailable("s3", "the object store could not be reached ("
                + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
    }
}
