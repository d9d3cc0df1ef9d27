package org.dotmac.integrations.sms.twilio;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How a failure of the Twilio SDK becomes the caller's problem. */
class TwilioFailuresTest {

    private static ApiException twilio(Integer status, Integer code) {
        return new ApiException("message " + code, code, null, status, null);
    }

    @Test
    void noAnswerInTimeIs504EvenWrappedByTheSdk() {
        ProviderException problem = TwilioFailures.classify(new ApiException("io", new SocketTimeoutException()), 0);
        assertThat(problem.status()).isEqualTo(504);
        assertThat(TwilioFailures.classify(new InterruptedIOException(), 0).status()).isEqualTo(504);
    }

    @Test
    void noConnectionIsTransient() {
        assertThat(TwilioFailures.classify(new ApiException("io", new IOException("refused")), 0))
                .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("could not be reached");
        assertThat(TwilioFailures.classify(new ApiConnectionException("down"), 0))
                .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("could not be reached");
    }

    @Test
    void refusedCredentialsAreTheOperatorsToFix() {
        for (ProviderException problem : new ProviderException[] {TwilioFailures.classify(twilio(401, null), 0),
                TwilioFailures.classify(twilio(400, 20003), 0)}) {
            assertThat(problem.credentialsRefused()).isTrue();
            assertThat(problem.status()).isEqualTo(502);
            assertThat(problem.detail()).contains("sms.twilio.account-sid");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20404, 21212, 21603, 21606, 21659, 21701, 21703, 21704, 30002})
    void theGatewaysOwnConfigurationIsMisconfiguredNotTheCallers(int code) {
        ProviderException problem = TwilioFailures.classify(twilio(400, code), 0);
        assertThat(problem.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(problem.credentialsRefused()).isFalse();
        assertThat(problem.detail()).contains("error " + code);
    }

    @Test
    void aForbiddenCallIsMisconfigured() {
        assertThat(TwilioFailures.classify(twilio(403, null), 0).kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(TwilioFailures.classify(twilio(403, null), 0).detail()).contains("HTTP 403");
    }

    @Test
    void rateLimitsAndServerErrorsAreTransientWithTwiliosRetryAfter() {
        ProviderException limited = TwilioFailures.classify(twilio(429, null), 3000);
        assertThat(limited).isInstanceOf(ProviderUnavailableException.class);
        assertThat(((ProviderUnavailableException) limited).retryAfterMillis()).isEqualTo(3000);
        assertThat(TwilioFailures.classify(twilio(400, 20429), 0)).isInstanceOf(ProviderUnavailableException.class);
        assertThat(TwilioFailures.classify(twilio(500, null), 0)).isInstanceOf(ProviderUnavailableException.class);
        assertThat(TwilioFailures.classify(twilio(503, 20500), 0)).isInstanceOf(ProviderUnavailableException.class);
    }

    @Test
    void theCallersMistakeIsA400NamingTheField() {
        ProviderException to = TwilioFailures.classify(twilio(400, 21211), 0);
        assertThat(to.kind()).isEqualTo(ProviderException.Kind.REJECTED);
        assertThat(to.status()).isEqualTo(400);
        assertThat(to.errors()).singleElement().satisfies(error -> assertThat(error.field()).isEqualTo("to"));
        for (int code : new int[] {21617, 21602}) {
            assertThat(TwilioFailures.classify(twilio(400, code), 0).errors())
                    .singleElement().satisfies(error -> assertThat(error.field()).isEqualTo("message"));
        }
        assertThat(TwilioFailures.classify(twilio(499, null), 0).status()).isEqualTo(400);
    }

    @Test
    void anAnswerWithoutAnErrorStatusOrAnUnknownFailureIsTransient() {
        assertThat(TwilioFailures.classify(twilio(null, null), 0)).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("HTTP 0");
        assertThat(TwilioFailures.classify(twilio(302, null), 0)).isInstanceOf(ProviderUnavailableException.class);
        assertThat(TwilioFailures.classify(new IllegalStateException(), 0)).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("IllegalStateException");
        assertThat(TwilioFailures.classify(null, 0)).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("unknown error");
    }
}
