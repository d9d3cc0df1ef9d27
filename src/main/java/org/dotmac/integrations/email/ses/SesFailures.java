package org.dotmac.integrations.email.ses;

import java.util.List;
import java.util.Locale;

import org.dotmac.integrations.core.AwsFailures;
import org.dotmac.integrations.core.ProviderException;

/**
 * Whose fault a failed SES call is (README, "Email providers", SES): SES's own codes here, the rest as
 * for every AWS provider ({@link AwsFailures}). An unverified sender, a missing configuration set or
 * paused sending are our configuration (502); any other MessageRejected is the caller's (400).
 */
final class SesFailures {

    static final String PROVIDER = "ses";
    static final AwsFailures.Service SES = new AwsFailures.Service(PROVIDER, "SES", "email.ses", SesFailures::own);

    private SesFailures() {
    }

    static RuntimeException classify(Throwable failure) {
        return SES.classify(failure);
    }

    private static RuntimeException own(String code, String message) {
        return switch (code) {
            case "MessageRejected" -> {
                String lower = message.toLowerCase(Locale.ROOT);
                // SES: "Email address is not verified"; moto: "Did not have authority to send from email ..."
                yield lower.contains("not verified") || lower.contains("did not have authority to send")
                        ? ProviderException.misconfigured(PROVIDER, "SES refused the sender: its identity is not verified;"
                                + " verify email.from-address (or its domain) in SES")
                        : ProviderException.rejected(PROVIDER, 400, "SES rejected the message (MessageRejected)", List.of());
            }
            case "MailFromDomainNotVerified" ->
                    ProviderException.misconfigured(PROVIDER, "SES refused the MAIL FROM domain: it is not verified");
            case "ConfigurationSetDoesNotExist" ->
                    ProviderException.misconfigured(PROVIDER, "SES has no such configuration set; check email.ses.configuration-set");
            case "AccountSendingPaused", "ConfigurationSetSendingPaused" -> ProviderException.misconfigured(PROVIDER,
                    "sending is paused for the SES account or configuration set (" + code + ")");
            default -> null;
        };
    }
}
