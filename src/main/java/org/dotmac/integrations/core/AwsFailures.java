package org.dotmac.integrations.core;

import java.util.List;
import java.util.Set;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * Whose fault a failed AWS call is, for what the AWS providers share: a problem the gateway raised is
 * kept; no answer in time is 504, no answer at all 503; refused credentials are ours (502, re-checked);
 * throttling, 429 and 5xx transient (503); any other 4xx the caller's (400). A service's own codes are
 * decided first by its {@link Codes}. AWS's messages are not repeated: they may name an address.
 */
public final class AwsFailures {

    private static final Set<String> CREDENTIALS = Set.of("InvalidClientTokenId", "SignatureDoesNotMatch",
            "UnrecognizedClient", "IncompleteSignature", "MissingAuthenticationToken", "AccessDenied", "ExpiredToken");
    private static final Set<String> TRANSIENT = Set.of("Throttling", "Throttled", "TooManyRequests", "KMSThrottling",
            "ServiceUnavailable", "InternalFailure", "InternalError");

    /** A service's own error codes (without a trailing "Exception"); null where the shared rules decide. */
    @FunctionalInterface
    public interface Codes {
        RuntimeException classify(String code, String message);
    }

    /** One AWS provider: its name, the service as README names it, its settings' prefix and its own codes. */
    public record Service(String provider, String name, String prefix, Codes codes) {

        public RuntimeException classify(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof ProblemException problem) {
                    return problem;
                }
            }
            if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
                return ProviderException.timedOut(provider, name + " did not answer within " + prefix + ".read-timeout");
            }
            if (failure instanceof AwsServiceException aws) {
                var details = aws.awsErrorDetails();
                return classify(aws.statusCode(), details == null || details.errorCode() == null ? "" : details.errorCode(),
                        details == null || details.errorMessage() == null ? "" : details.errorMessage());
            }
            return ProviderException.unavailable(provider, name + " could not be reached ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
        }

        public RuntimeException classify(int status, String code, String message) {
            String bare = code.replaceFirst("Exception$", "");
            RuntimeException own = codes.classify(bare, message);
            if (own != null) {
                return own;
            }
            if (CREDENTIALS.contains(bare)) {
                return ProviderException.credentialsRefused(provider, name + " refused the gateway's credentials (" + code
                        + "); check " + prefix + ".access-key and " + prefix + ".secret-key");
            }
            if (TRANSIENT.contains(bare)) {
                return ProviderException.unavailable(provider, name + " is unavailable or throttling (" + code + ")");
            }
            if (status == 429 || status >= 500) {
                return ProviderException.unavailable(provider, name + " failed (HTTP " + status + ", " + code + ")");
            }
            if (status == 401 || status == 403) {
                return ProviderException.credentialsRefused(provider, name + " refused the gateway's credentials (" + code + ")");
            }
            return ProviderException.rejected(provider, 400, name + " rejected the request ("
                    + (code.isEmpty() ? "HTTP " + status : code) + ")", List.of());
        }

        /** The verdict of a signed call that sends nothing ({@code call} names it) on the credentials in force. */
        public CredentialCheck.Outcome checkCredentials(String call, Runnable signedCall) {
            try {
                signedCall.run();
                return CredentialCheck.Outcome.accepted(name + " answered " + call);
            } catch (AwsServiceException e) {
                if (classify(e) instanceof ProviderException p && p.credentialsRefused()) {
                    return CredentialCheck.Outcome.refused(name + " refused the credentials (HTTP " + e.statusCode() + ")");
                }
                return CredentialCheck.Outcome.unknown(name + " answered HTTP " + e.statusCode());
            } catch (RuntimeException e) {
                return CredentialCheck.Outcome.unknown(name + " could not be asked (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    private AwsFailures() {
    }
}
