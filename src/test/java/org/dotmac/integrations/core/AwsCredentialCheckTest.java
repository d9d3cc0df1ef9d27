package org.dotmac.integrations.core;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import static org.assertj.core.api.Assertions.assertThat;

/** The AWS providers' background credential check: only a refusal of the credentials is a refusal. */
class AwsCredentialCheckTest {

    private static final AwsFailures.Service SERVICE = new AwsFailures.Service("ses", "SES", "email.ses", (code, message) -> null);

    private static Runnable answering(int status, String code) {
        return () -> {
            throw AwsServiceException.builder().statusCode(status)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
        };
    }

    @Test
    void anAnswerAcceptsARefusalOfTheCredentialsRefusesAndAnythingElseCannotTell() {
        assertThat(SERVICE.checkCredentials("GetSendQuota", () -> { })).extracting(CredentialCheck.Outcome::verdict)
                .isEqualTo(CredentialCheck.Verdict.ACCEPTED);
        var refused = SERVICE.checkCredentials("GetSendQuota", answering(403, "InvalidClientTokenId"));
        assertThat(refused.verdict()).isEqualTo(CredentialCheck.Verdict.REFUSED);
        assertThat(refused.detail()).contains("HTTP 403");
        var throttled = SERVICE.checkCredentials("GetSendQuota", answering(400, "Throttling"));
        assertThat(throttled.verdict()).isEqualTo(CredentialCheck.Verdict.UNKNOWN);
        assertThat(throttled.detail()).contains("HTTP 400");
        var unreachable = SERVICE.checkCredentials("GetSendQuota", () -> {
            throw new IllegalStateException("no route");
        });
        assertThat(unreachable.verdict()).isEqualTo(CredentialCheck.Verdict.UNKNOWN);
        assertThat(unreachable.detail()).contains("IllegalStateException");
        assertThat(SERVICE.checkCredentials("GetSendQuota", () -> { }).detail()).isEqualTo("SES answered GetSendQuota");
    }
}
