package org.dotmac.integrations.sms.sns;

import java.util.List;

import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Whose fault a failed SNS Publish is (README, "SMS providers", SNS): the caller's message or number
 * (400, naming {@code to} or {@code message}), our configuration or account (502: refused credentials,
 * no permission, a sender id SNS refuses), or SNS's for now (throttling, 5xx, no connection: 503; a
 * timeout: 504).
 */
final class SnsFailures {

    static final String PROVIDER = "sns";

    private SnsFailures() {
    }

    static RuntimeException classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProblemException problem) {
                return problem;
            }
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return ProviderException.timedOut(PROVIDER, "SNS did not answer within sms.sns.read-timeout");
        }
        if (failure instanceof SnsException sns) {
            String code = sns.awsErrorDetails() == null || sns.awsErrorDetails().errorCode() == null ? ""
                    : sns.awsErrorDetails().errorCode();
            String message = sns.awsErrorDetails() == null || sns.awsErrorDetails().errorMessage() == null ? ""
                    : sns.awsErrorDetails().errorMessage();
            return classify(sns.statusCode(), code, message);
        }
        return ProviderException.unavailable(PROVIDER, "SNS could not be reached ("
                + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
    }

    static RuntimeException classify(int status, String code, String message) {
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        switch (code.replaceFirst("Exception$", "")) {
            case "InvalidParameter", "InvalidParameterValue" -> {
                // SNS names what it refused; the phone number and the text are the caller's, the rest ours
                if (lower.contains("phone number") || lower.contains("e164") || lower.contains("opted out")) {
                    return ProviderException.rejected(PROVIDER, 400, "SNS refused the phone number (" + code + ")",
                            List.of(new ProblemException.FieldError("to", "refused by SNS")));
                }
                if (lower.contains("message")) {
                    return ProviderException.rejected(PROVIDER, 400, "SNS refused the message (" + code + ")",
                            List.of(new ProblemException.FieldError("message", "refused by SNS")));
                }
                return ProviderException.misconfigured(PROVIDER, "SNS refused a parameter of the gateway's (" + code
                        + "); check sms.sns.sender-id, sms.sns.origination-number and sms.sns.sms-type");
            }
            case "Throttled", "Throttling", "KMSThrottling", "InternalError", "InternalFailure", "ServiceUnavailable" -> {
                return ProviderException.unavailable(PROVIDER, "SNS is unavailable or throttling (" + code + ")");
            }
            case "AuthorizationError", "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClient",
                    "IncompleteSignature", "MissingAuthenticationToken", "AccessDenied", "ExpiredToken" -> {
                return ProviderException.credentialsRefused(PROVIDER, "SNS refused the gateway's credentials (" + code
                        + "); check sms.sns.access-key and sms.sns.secret-key");
            }
            default -> {
            }
        }
        if (status == 429 || status >= 500) {
            return ProviderException.unavailable(PROVIDER, "SNS failed (HTTP " + status + ", " + code + ")");
        }
        if (status == 401 || status == 403) {
            return ProviderException.credentialsRefused(PROVIDER, "SNS refused the gateway's credentials (" + code + ")");
        }
        return ProviderException.rejected(PROVIDER, 400, "SNS rejected the request (" + (code.isEmpty() ? "HTTP " + status : code)
                + ")", List.of());
    }
}
