package org.dotmac.integrations.email.ses;

import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.ProviderMisconfiguredException;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ses.model.SesException;

import static org.assertj.core.api.Assertions.assertThat;

/** README's table of SES answers: whose fault each is, and what the caller gets. */
class SesFailuresTest {

    private static ProviderException classified(int status, String code, String message) {
        RuntimeException failure = SesFailures.classify(SesException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build());
        assertThat(failure).isInstanceOf(ProviderException.class);
        return (ProviderException) failure;
    }

    @ParameterizedTest(name = "{0} {1}: {3} {4}")
    @CsvSource({
            "400, MessageRejected, 'Illegal address', REJECTED, 400",
            "400, MessageRejected, 'Email address is not verified. The following identities failed the check', MISCONFIGURED, 502",
            "400, MessageRejected, 'Did not have authority to send from email noreply@x.example', MISCONFIGURED, 502",
            "400, MailFromDomainNotVerifiedException, 'not verified', MISCONFIGURED, 502",
            "400, ConfigurationSetDoesNotExist, 'no such set', MISCONFIGURED, 502",
            "400, AccountSendingPausedException, 'paused', MISCONFIGURED, 502",
            "400, Throttling, 'Maximum sending rate exceeded', UNAVAILABLE, 503",
            "429, TooManyRequestsException, 'slow down', UNAVAILABLE, 503",
            "503, ServiceUnavailable, 'down', UNAVAILABLE, 503",
            "500, SomethingNew, 'oops', UNAVAILABLE, 503",
            "403, InvalidClientTokenId, 'bad key', MISCONFIGURED, 502",
            "403, SignatureDoesNotMatch, 'bad secret', MISCONFIGURED, 502",
            "403, SomethingElse, 'no', MISCONFIGURED, 502",
            "400, InvalidParameterValue, 'bad header', REJECTED, 400"})
    void sesAnswersAreClassifiedByWhoseFaultTheyAre(int status, String code, String message, ProviderException.Kind kind,
            int answered) {
        ProviderException failure = classified(status, code, message);

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.status()).isEqualTo(answered);
        assertThat(failure.provider()).isEqualTo("ses");
        assertThat(failure.detail()).as("SES's message may name an address: not repeated").doesNotContain("@");
    }

    @Test
    void refusedCredentialsAreRecheckedAndTransientFailuresAreWhatBreakersCount() {
        assertThat(classified(403, "InvalidClientTokenId", "").credentialsRefused()).isTrue();
        assertThat(classified(400, "ConfigurationSetDoesNotExist", "")).isInstanceOf(ProviderMisconfiguredException.class)
                .matches(p -> !p.credentialsRefused());
        assertThat(classified(400, "Throttling", "")).isInstanceOf(ProviderUnavailableException.class);
        assertThat(classified(400, "MessageRejected", "bad")).isNotInstanceOf(ProviderUnavailableException.class)
                .isNotInstanceOf(ProviderMisconfiguredException.class);
    }

    @Test
    void noAnswerIsTransientAndATimeoutIs504() {
        assertThat(SesFailures.classify(SdkClientException.create("connection refused")))
                .isInstanceOf(ProviderUnavailableException.class);
        assertThat(((ProviderException) SesFailures.classify(ApiCallTimeoutException.create(30_000))).status()).isEqualTo(504);
    }

    @Test
    void theDetailNamesWhatSesAnsweredOrThatNothingWasKnown() {
        assertThat(classified(418, "", "").detail()).contains("HTTP 418");
        assertThat(classified(400, "InvalidParameterValue", "").detail()).contains("InvalidParameterValue");
        assertThat(((ProviderException) SesFailures.classify(null)).detail()).contains("unknown error");
        assertThat(((ProviderException) SesFailures.classify(SdkClientException.create("x"))).detail())
                .contains("SdkClientException");
    }

    @Test
    void aProblemTheGatewayRaisedIsKept() {
        ProblemException tooLarge = new ProblemException(413, "Content Too Large", "too large");
        assertThat(SesFailures.classify(new RuntimeException(tooLarge))).isSameAs(tooLarge);
    }
}
