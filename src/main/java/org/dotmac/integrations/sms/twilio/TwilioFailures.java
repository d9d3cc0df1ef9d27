package org.dotmac.integrations.sms.twilio;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Set;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import org.dotmac.integrations.core.ProblemException.FieldError;
import org.dotmac.integrations.core.ProviderException;

import static org.dotmac.integrations.sms.twilio.TwilioSms.PROVIDER;

/**
 * Whose fault a failed Twilio call is: the caller's (400 naming the field), the gateway's configuration
 * (502), or Twilio's for now (503 with its Retry-After, 504 without an answer).
 */
final class TwilioFailures {

    private static final Set<Integer> OUR_CONFIGURATION = Set.of(
            20003, // authentication failed
            20404, // the account or resource was not found
            21212, // invalid From number
            21603, // From is required
            21606, // From cannot send SMS
            21659, // From is not a Twilio number
            21701, 21703, 21704, // messaging service problems
            30002); // account suspended

    private TwilioFailures() {
    }

    static ProviderException classify(Throwable caught, long retryAfterMillis) {
        // the SDK wraps an I/O failure in an ApiException without a status: no answer came
        if (find(caught, InterruptedIOException.class) != null) {
            return ProviderException.timedOut(PROVIDER, "Twilio did not answer in time");
        }
        if (find(caught, IOException.class) != null || find(caught, ApiConnectionException.class) != null) {
            return ProviderException.unavailable(PROVIDER, "Twilio could not be reached; check sms.twilio.base-url");
        }
        ApiException api = find(caught, ApiException.class);
        if (api != null) {
            int status = api.getStatusCode() == null ? 0 : api.getStatusCode();
            int code = api.getCode() == null ? 0 : api.getCode();
            String twilio = "Twilio " + (code == 0 ? "HTTP " + status : "error " + code) + ": " + api.getMessage();
            if (status == 401 || code == 20003) {
                return ProviderException.credentialsRefused(PROVIDER, twilio
                        + "; check sms.twilio.account-sid and the credentials");
            }
            if (status == 403 || OUR_CONFIGURATION.contains(code)) {
                return ProviderException.misconfigured(PROVIDER, twilio
                        + "; check sms.twilio.account-sid, the credentials and sms.twilio.from or messaging-service-sid");
            }
            if (status == 429 || code == 20429 || status >= 500) {
                return ProviderException.unavailable(PROVIDER, twilio, retryAfterMillis);
            }
            if (status >= 400) {
                String field = code == 21617 || code == 21602 ? "message" : "to";
                return ProviderException.rejected(PROVIDER, 400, twilio, List.of(new FieldError(field, twilio)));
            }
            return ProviderException.unavailable(PROVIDER, twilio);
        }
        return ProviderException.unavailable(PROVIDER, "sending through Twilio failed ("
                + (caught == null ? "unknown error" : caught.getClass().getSimpleName()) + ")");
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
