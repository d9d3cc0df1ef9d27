package org.dotmac.integrations.storage.s3;

import java.io.UncheckedIOException;

import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;

/** How a failed object store call becomes the caller's problem. */
class S3FailuresTest {

    private static S3Exception s3(int status, String code) {
        var builder = S3Exception.builder().statusCode(status).message(code);
        if (code != null) {
            builder.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build());
        }
        return (S3Exception) builder.build();
    }

    private static ProviderException provider(RuntimeException failure) {
        assertThat(failure).isInstanceOf(ProviderException.class);
        return (ProviderException) failure;
    }

    @Test
    void aProblemTheGatewayRaisedInsideTheCallIsKeptAtAnyDepth() {
        ProblemException tooLarge = new ProblemException(413, "Content Too Large", "over storage.max-object-size");
        assertThat(S3Failures.classify(tooLarge)).isSameAs(tooLarge);
        assertThat(S3Failures.classify(SdkClientException.create("upload", new UncheckedIOException("read",
                new java.io.IOException(tooLarge))))).isSameAs(tooLarge);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void refusedCredentialsAreTheOperatorsToFix(int status) {
        ProviderException problem = provider(S3Failures.classify(s3(status, "AccessDenied")));
        assertThat(problem.credentialsRefused()).isTrue();
        assertThat(problem.detail()).contains("AccessDenied").contains("storage.s3.access-key");
        assertThat(provider(S3Failures.classify(s3(status, null))).credentialsRefused()).isTrue();
    }

    @Test
    void aMissingBucketIsMisconfiguredButAnotherMissingThingIsNot() {
        ProviderException bucket = provider(S3Failures.classify(s3(404, "NoSuchBucket")));
        assertThat(bucket.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(bucket.credentialsRefused()).isFalse();
        assertThat(bucket.detail()).contains("storage.bucket");
        assertThat(S3Failures.classify(s3(404, "NoSuchKey"))).isInstanceOf(ProviderUnavailableException.class);
    }

    @Test
    void aFeatureTheStoreLacksIsMisconfigured() {
        ProviderException problem = provider(S3Failures.classify(s3(501, "NotImplemented")));
        assertThat(problem.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(problem.detail()).contains("NotImplemented").contains("storage.s3.sse-s3");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void serverErrorsAreTransient(int status) {
        ProviderException problem = provider(S3Failures.classify(s3(status, "InternalError")));
        assertThat(problem).isInstanceOf(ProviderUnavailableException.class);
        assertThat(problem.detail()).contains("HTTP " + status);
    }

    @Test
    void anythingElseIsTransientAndNamed() {
        assertThat(S3Failures.classify(s3(400, "BadDigest"))).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("S3Exception");
        assertThat(S3Failures.classify(SdkClientException.create("no route"))).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("SdkClientException");
        assertThat(S3Failures.classify(null)).hasMessageContaining("unknown error");
    }
}
