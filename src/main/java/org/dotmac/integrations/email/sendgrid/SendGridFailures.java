package org.dotmac.integrations.email.sendgrid;

import java.util.List;

import org.dotmac.integrations.core.ProblemException.FieldError;
import org.dotmac.integrations.core.ProviderException;

import static org.dotmac.integrations.email.sendgrid.SendGridMail.PROVIDER;

/**
 * Whose fault a SendGrid answer other than 2xx is: the caller's (400 and 413, relaying SendGrid's
 * errors), the gateway's configuration (401/403 credentials, any other status: 502), or SendGrid's for now
 * (429 and 5xx: 503 with its Retry-After).
 */
final class SendGridFailures {

    private SendGridFailures() {
    }

    static ProviderException classify(int status, List<FieldError> errors, long retryAfterMillis) {
        String relayed = errors.isEmpty() ? "" : ": " + String.join("; ", errors.stream().map(FieldError::message).toList());
        return switch (status) {
            case 400, 413 -> ProviderException.rejected(PROVIDER, status, "SendGrid rejected the email" + relayed, errors);
            case 401, 403 -> ProviderException.credentialsRefused(PROVIDER,
                    "SendGrid refused the gateway's credentials (HTTP " + status + ")" + relayed
                            + "; check email.sendgrid.api-key");
            case 429 -> ProviderException.unavailable(PROVIDER, "SendGrid is rate limiting the gateway (HTTP 429)",
                    retryAfterMillis);
            default -> status >= 500
                    ? ProviderException.unavailable(PROVIDER, "SendGrid failed (HTTP " + status + ")", retryAfterMillis)
                    : ProviderException.misconfigured(PROVIDER, "SendGrid answered HTTP " + status
                            + "; check email.sendgrid.base-url");
        };
    }
}
