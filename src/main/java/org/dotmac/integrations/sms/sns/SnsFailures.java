package org.dotmac.integrations.sms.sns;

import java.util.List;
import java.util.Locale;

import org.dotmac.integrations.core.AwsFailures;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;

/**
 * Whose fault a failed SNS Publish is (README, "SMS providers", SNS): SNS's own codes here, the rest as
 * for every AWS provider ({@link AwsFailures}). An InvalidParameter about the number or the text is the
 * caller's (400 naming {@code to} or {@code message}), about anything else ours (502).
 */
final class SnsFailures {

    static final String PROVIDER = "sns";
    static final AwsFailures.Service SNS = new AwsFailures.Service(PROVIDER, "SNS", "sms.sns", SnsFailures::own);

    private SnsFailures() {
    }

    static RuntimeException classify(Throwable failure) {
        return SNS.classify(failure);
    }

    private static RuntimeException own(String code, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        return switch (code) {
            case "InvalidParameter", "InvalidParameterValue" -> {
                // SNS names what it refused; the phone number and the text are the caller's, the rest ours
                if (lower.contains("phone number") || lower.contains("e164") || lower.contains("opted out")) {
                    yield ProviderException.rejected(PROVIDER, 400, "SNS refused the phone number (" + code + ")",
                            List.of(new ProblemException.FieldError("to", "refused by SNS")));
                }
                if (lower.contains("message")) {
                    yield ProviderException.rejected(PROVIDER, 400, "SNS refused the message (" + code + ")",
                            List.of(new ProblemException.FieldError("message", "refused by SNS")));
                }
                yield ProviderException.misconfigured(PROVIDER, "SNS refused a parameter of the gateway's (" + code
                        + "); check sms.sns.sender-id, sms.sns.origination-number and sms.sns.sms-type");
            }
            case "AuthorizationError" -> ProviderException.credentialsRefused(PROVIDER, "SNS refused the gateway's credentials ("
                    + code + "); check sms.sns.access-key and sms.sns.secret-key");
            default -> null;
        };
    }
}
