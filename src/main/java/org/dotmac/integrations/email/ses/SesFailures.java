package org.dotmac.integrations.email.ses;

import java.util.List;

import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.ses.model.SesException;

/**
 * Whose fault a failed SES call is (README, "Email providers", SES): the caller's message (400), our
 * configuration or account (502: an unverified sender, a missing configuration set, sending paused,
 * refused credentials), or SES's for now (throttling, 5xx, no connection: 503, a timeout: 504). SES's
 * messages are repeated only as far as they name no address.
 */
final class SesFailures {

    static final String PROVIDER = "ses";

    private SesFailures() {
    }

    static RuntimeException classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProblemException problem) {
                return problem;
            }
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return ProviderException.timedOut(PROVIDER, "SES did not answer within email.ses.read-timeout");
        }
        if (failure instanceof SesException ses) {
            String code = ses.awsErrorDetails() == null || ses.awsErrorDetails().errorCode() == null ? ""
                    : ses.awsErrorDetails().errorCode();
            String message = ses.awsErrorDetails() == null || ses.awsErrorDetails().errorMessage() == null ? ""
                    : ses.awsErrorDetails().errorMessage();
            return classify(ses.statusCode(), code, message);
        }
        return ProviderException.unavailable(PROVIDER, "SES could not be reached ("
                + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
    }

    static RuntimeException classify(int status, String code, String message) {
        switch (code.replaceFirst("Exception$", "")) {
            case "MessageRejected" -> {
                String lower = message.toLowerCase(java.util.Locale.ROOT);
                // SES: "Email address is not verified"; moto: "Did not have authority to send from email ..."
                if (lower.contains("not verified") || lower.contains("did not have authority to send")) {
                    return ProviderException.misconfigured(PROVIDER, "SES refused the sender: its identity is not verified;"
                            + " verify email.from-address (or its domain) in SES");
                }
                return ProviderException.rejected(PROVIDER, 400, "SES rejected the message (MessageRejected)", List.of());
            }
            case "MailFromDomainNotVerified" -> {
                return ProviderException.misconfigured(PROVIDER, "SES refused the MAIL FROM domain: it is not verified");
            }
            case "ConfigurationSetDoesNotExist" -> {
                return ProviderException.misconfigured(PROVIDER, "SES has no such configuration set; check email.ses.configuration-set");
            }
            case "AccountSendingPaused", "ConfigurationSetSendingPaused" -> {
                return ProviderException.misconfigured(PROVIDER, "sending is paused for the SES account or configuration set ("
                        + code + ")");
            }
            case "Throttling", "TooManyRequests", "ServiceUnavailable", "InternalFailure" -> {
                return ProviderException.unavailable(PROVIDER, "SES is unavailable or throttling (" + code + ")");
            }
            case "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClient", "IncompleteSignature",
                    "MissingAuthenticationToken", "AccessDenied", "ExpiredToken" -> {
                return ProviderException.credentialsRefused(PROVIDER, "SES refused the gateway's credentials (" + code
                        + "); check email.ses.access-key and email.ses.secret-key");
            }
            default -> {
            }
        }
        if (status == 429 || status >= 500) {
            return ProviderException.unavailable(PROVIDER, "SES failed (HTTP " + status + ", " + code + ")");
        }
        if (status == 401 || status == 403) {
            return ProviderException.credentialsRefused(PROVIDER, "SES refused the gateway's credentials (" + code + ")");
        }
        return ProviderException.rejected(PROVIDER, 400, "SES rejected the request (" + (code.isEmpty() ? "HTTP " + status : code)
                + ")", List.of());
    }
}
