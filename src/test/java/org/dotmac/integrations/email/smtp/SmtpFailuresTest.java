package org.dotmac.integrations.email.smtp;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How a mail server's answer, or its silence, becomes the caller's problem. */
class SmtpFailuresTest {

    private static SendFailedException recipientRefused(int code) throws Exception {
        InternetAddress to = new InternetAddress("ana@example.com");
        return new SendFailedException("Invalid Addresses", new SMTPAddressFailedException(to, "RCPT TO", code,
                code + " no such user "), new Address[0], new Address[0], new Address[] {to});
    }

    private static SMTPSendFailedException sendFailed(int code) {
        return new SMTPSendFailedException("DATA", code, code + " reply ", null, new Address[0], new Address[0], new Address[0]);
    }

    @Test
    void aServerWithoutStartTlsIsMisconfigured() {
        ProviderException problem = SmtpFailures.classify(new MessagingException("STARTTLS is required but host does not support STARTTLS"));
        assertThat(problem.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(problem.credentialsRefused()).isFalse();
        assertThat(problem.detail()).contains("nothing was sent in clear text");
    }

    @Test
    void refusedCredentialsAreTheOperatorsToFix() {
        ProviderException problem = SmtpFailures.classify(new AuthenticationFailedException("535 no"));
        assertThat(problem.credentialsRefused()).isTrue();
        assertThat(problem.detail()).contains("email.smtp.username");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 550, 553})
    void aRecipientRefusedForGoodIsA400NamingTo(int code) throws Exception {
        ProviderException problem = SmtpFailures.classify(recipientRefused(code));
        assertThat(problem.kind()).isEqualTo(ProviderException.Kind.REJECTED);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("to");
            assertThat(error.message()).contains("ana@example.com");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 450, 451, 499})
    void aRecipientDeferredIsTransient(int code) throws Exception {
        ProviderException problem = SmtpFailures.classify(recipientRefused(code));
        assertThat(problem).isInstanceOf(ProviderUnavailableException.class);
        assertThat(problem.detail()).contains("deferred a recipient").contains(code + " no such user");
    }

    @Test
    void aRecipientListWithoutAServerReplyIsRejected() throws Exception {
        InternetAddress to = new InternetAddress("ana@example.com");
        SendFailedException noReply = new SendFailedException("Invalid Addresses", null, new Address[0], new Address[0],
                new Address[] {to});
        assertThat(SmtpFailures.classify(noReply).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(ints = {530, 534, 535})
    void aServerAskingForOtherCredentialsIsTheOperatorsToFix(int code) {
        assertThat(SmtpFailures.classify(sendFailed(code)).credentialsRefused()).isTrue();
    }

    @Test
    void aRefusedEmailIsA400AndATooLargeOneA413() {
        assertThat(SmtpFailures.classify(sendFailed(554)).status()).isEqualTo(400);
        assertThat(SmtpFailures.classify(sendFailed(500)).status()).isEqualTo(400);
        ProviderException tooLarge = SmtpFailures.classify(sendFailed(552));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.kind()).isEqualTo(ProviderException.Kind.REJECTED);
        assertThat(tooLarge.detail()).contains("552 reply");
    }

    @ParameterizedTest
    @ValueSource(ints = {421, 451, 452, 499})
    void aDeferredEmailIsTransient(int code) {
        ProviderException problem = SmtpFailures.classify(sendFailed(code));
        assertThat(problem).isInstanceOf(ProviderUnavailableException.class);
        assertThat(problem.detail()).contains("deferred the email");
    }

    @Test
    void noAnswerInTimeIs504AtAnyDepth() {
        assertThat(SmtpFailures.classify(new SocketTimeoutException()).status()).isEqualTo(504);
        assertThat(SmtpFailures.classify(new MessagingException("io", new MessagingException("inner",
                new SocketTimeoutException()))).status()).isEqualTo(504);
    }

    @Test
    void anUnreachableServerIsTransientAndNamesTheSettings() {
        MailConnectException refused = new MailConnectException(
                new SocketConnectException("refused", new ConnectException(), "127.0.0.1", 25, 1000));
        assertThat(SmtpFailures.classify(refused)).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("email.smtp.host");
        assertThat(SmtpFailures.classify(new MessagingException("x", new ConnectException())))
                .hasMessageContaining("could not be reached");
    }

    @Test
    void anythingElseIsTransientAndNamed() {
        assertThat(SmtpFailures.classify(new IllegalStateException())).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("IllegalStateException");
        assertThat(SmtpFailures.classify(null)).hasMessageContaining("unknown error");
    }
}
