package org.dotmac.integrations.email.sendgrid;

import java.util.List;

import org.dotmac.integrations.core.ProblemException.FieldError;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How a SendGrid answer other than 2xx becomes the caller's problem. */
class SendGridFailuresTest {

    private static final List<FieldError> ERRORS = List.of(new FieldError("personalizations.0.to", "Does not contain a valid address."),
            new FieldError("subject", "The subject is required."));

    @ParameterizedTest
    @ValueSource(ints = {400, 413})
    void aRefusedEmailKeepsItsStatusAndRelaysSendGridsErrors(int status) {
        ProviderException problem = SendGridFailures.classify(status, ERRORS, 0);
        assertThat(problem.kind()).isEqualTo(ProviderException.Kind.REJECTED);
        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.errors()).isEqualTo(ERRORS);
        assertThat(problem.detail()).isEqualTo("SendGrid rejected the email: Does not contain a valid address.; The subject is required.");
        assertThat(SendGridFailures.classify(status, List.of(), 0).detail()).isEqualTo("SendGrid rejected the email");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void refusedCredentialsAreTheOperatorsToFix(int status) {
        ProviderException problem = SendGridFailures.classify(status, List.of(new FieldError(null, "bad key")), 0);
        assertThat(problem.credentialsRefused()).isTrue();
        assertThat(problem.status()).isEqualTo(502);
        assertThat(problem.detail()).contains("HTTP " + status + "): bad key").endsWith("check email.sendgrid.api-key");
    }

    @Test
    void aRateLimitIsTransientWithSendGridsRetryAfter() {
        ProviderException problem = SendGridFailures.classify(429, List.of(), 4000);
        assertThat(problem).isInstanceOf(ProviderUnavailableException.class);
        assertThat(((ProviderUnavailableException) problem).retryAfterMillis()).isEqualTo(4000);
        assertThat(problem.detail()).contains("rate limiting");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 599})
    void serverErrorsAreTransientWithTheirRetryAfter(int status) {
        ProviderException problem = SendGridFailures.classify(status, List.of(), 2000);
        assertThat(problem).isInstanceOf(ProviderUnavailableException.class);
        assertThat(((ProviderUnavailableException) problem).retryAfterMillis()).isEqualTo(2000);
        assertThat(problem.detail()).contains("HTTP " + status);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 301, 404, 405, 499})
    void anyOtherAnswerIsTheGatewaysConfiguration(int status) {
        ProviderException problem = SendGridFailures.classify(status, List.of(), 0);
        assertThat(problem.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(problem.credentialsRefused()).isFalse();
        assertThat(problem.detail()).contains("HTTP " + status).contains("email.sendgrid.base-url");
    }
}
