package org.dotmac.integrations.sms.sns;

import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.SnsException;

import static org.assertj.core.api.Assertions.assertThat;

/** README's account of SNS's answers: whose fault each is, the field it names, what the caller gets. */
class SnsFailuresTest {

    private static ProviderException classified(int status, String code, String message) {
        RuntimeException failure = SnsFailures.classify(SnsException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build());
        assertThat(failure).isInstanceOf(ProviderException.class);
        return (ProviderException) failure;
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3} {4} {5}")
    @CsvSource({
            "400, InvalidParameter, 'Phone number does not meet the E164 format', REJECTED, 400, to",
            "400, InvalidParameter, 'Phone number is opted out', REJECTED, 400, to",
            "400, InvalidParameter, 'SMS message must be less than 1600 bytes', REJECTED, 400, message",
            "400, InvalidParameterValue, 'Invalid parameter: SenderID', MISCONFIGURED, 502, ''",
            "403, AuthorizationError, 'not authorized', MISCONFIGURED, 502, ''",
            "403, InvalidClientTokenId, 'bad key', MISCONFIGURED, 502, ''",
            "400, Throttled, 'slow down', UNAVAILABLE, 503, ''",
            "500, InternalError, 'oops', UNAVAILABLE, 503, ''",
            "502, SomethingNew, 'oops', UNAVAILABLE, 503, ''",
            "429, SomethingElse, 'later', UNAVAILABLE, 503, ''",
            "401, SomethingElse, 'who', MISCONFIGURED, 502, ''",
            "400, ValidationError, 'odd', REJECTED, 400, ''"})
    void snsAnswersAreClassifiedByWhoseFaultTheyAre(int status, String code, String message, ProviderException.Kind kind,
            int answered, String field) {
        ProviderException failure = classified(status, code, message);

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.status()).isEqualTo(answered);
        assertThat(failure.provider()).isEqualTo("sns");
        assertThat(failure.errors().stream().map(ProblemException.FieldError::field).toList())
                .isEqualTo(field.isEmpty() ? java.util.List.of() : java.util.List.of(field));
    }

    @Test
    void refusedCredentialsAreRecheckedAndTransientFailuresAreWhatBreakersCount() {
        assertThat(classified(403, "InvalidClientTokenId", "").credentialsRefused()).isTrue();
        assertThat(classified(400, "InvalidParameterValue", "SenderID").credentialsRefused()).isFalse();
        assertThat(classified(400, "Throttled", "")).isInstanceOf(ProviderUnavailableException.class);
        assertThat(classified(400, "InvalidParameter", "Phone number is opted out"))
                .isNotInstanceOf(ProviderUnavailableException.class);
    }

    @Test
    void noAnswerIsTransientATimeoutIs504AndTheDetailSaysWhatWasKnown() {
        assertThat(SnsFailures.classify(SdkClientException.create("connection refused")))
                .isInstanceOf(ProviderUnavailableException.class);
        assertThat(((ProviderException) SnsFailures.classify(ApiCallTimeoutException.create(30_000))).status()).isEqualTo(504);
        assertThat(((ProviderException) SnsFailures.classify(null)).detail()).contains("unknown error");
        assertThat(classified(418, "", "").detail()).contains("HTTP 418");
        assertThat(classified(400, "ValidationError", "").detail()).contains("ValidationError");
        ProblemException ours = new ProblemException(400, "Bad Request", "ours");
        assertThat(SnsFailures.classify(new RuntimeException(ours))).isSameAs(ours);
    }
}
