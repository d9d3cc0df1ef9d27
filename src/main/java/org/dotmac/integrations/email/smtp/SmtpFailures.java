package org.dotmac.integrations.email.smtp;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.util.Arrays;
import java.util.List;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.SendFailedException;
import org.dotmac.integrations.core.ProblemException.FieldError;
import org.dotmac.integrations.core.ProviderException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

import static org.dotmac.integrations.email.smtp.SmtpMail.PROVIDER;

/**
 * Whose fault a failed SMTP send is: the caller's (a 5xx refusal: 400, 413 for a message too large), the
 * gateway's configuration (credentials, STARTTLS: 502), or the server's for now (4xx, no connection: 503,
 * no answer: 504).
 */
final class SmtpFailures {

    private SmtpFailures() {
    }

    static ProviderException classify(Throwable cause) {
        if (cause != null && cause.getMessage() != null && cause.getMessage().contains("STARTTLS")) {
            return ProviderException.misconfigured(PROVIDER, "the mail server does not offer STARTTLS, which "
                    + "email.smtp.security=starttls requires; nothing was sent in clear text");
        }
        if (cause instanceof AuthenticationFailedException) {
            return ProviderException.credentialsRefused(PROVIDER, "the mail server refused the gateway's credentials; "
                    + "check email.smtp.username and email.smtp.password");
        }
        if (cause instanceof SendFailedException sent && sent.getInvalidAddresses() != null
                && sent.getInvalidAddresses().length > 0) {
            int code = cause.getCause() instanceof SMTPAddressFailedException a ? a.getReturnCode() : 550;
            String reply = cause.getCause() instanceof SMTPAddressFailedException a ? a.getMessage().trim() : "";
            if (code >= 400 && code < 500) {
                return ProviderException.unavailable(PROVIDER, "the mail server deferred a recipient: " + reply);
            }
            return ProviderException.rejected(PROVIDER, 400, "the mail server rejected a recipient",
                    List.of(new FieldError("to", "rejected by the mail server: " + String.join(", ",
                            Arrays.stream(sent.getInvalidAddresses()).map(Object::toString).toList()))));
        }
        if (cause instanceof SMTPSendFailedException failed) {
            int code = failed.getReturnCode();
            String reply = failed.getMessage() == null ? "" : failed.getMessage().trim();
            if (code == 530 || code == 535 || code == 534) {
                return ProviderException.credentialsRefused(PROVIDER, "the mail server asks for other credentials: " + reply);
            }
            if (code >= 500) {
                return ProviderException.rejected(PROVIDER, code == 552 ? 413 : 400, "the mail server rejected the email: " + reply,
                        List.of());
            }
            return ProviderException.unavailable(PROVIDER, "the mail server deferred the email: " + reply);
        }
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            if (root instanceof InterruptedIOException) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof InterruptedIOException) {
            return ProviderException.timedOut(PROVIDER, "the mail server did not answer in time");
        }
        if (cause instanceof MailConnectException || root instanceof ConnectException) {
            return ProviderException.unavailable(PROVIDER, "the mail server could not be reached; check email.smtp.host and email.smtp.port");
        }
        return ProviderException.unavailable(PROVIDER, "sending over SMTP failed ("
                + (cause == null ? "unknown error" : cause.getClass().getSimpleName()) + ")");
    }
}
