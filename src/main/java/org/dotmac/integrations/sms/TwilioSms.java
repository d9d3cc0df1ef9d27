package org.dotmac.integrations.sms;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import org.apache.camel.Exchange;
import org.dotmac.integrations.api.CredentialCheck;
import org.dotmac.integrations.api.ProblemException.FieldError;
import org.dotmac.integrations.api.ProviderException;
import org.dotmac.integrations.config.Settings;
import org.dotmac.integrations.notification.NotificationHeaders;
import org.dotmac.integrations.notification.NotificationResult;
import org.dotmac.integrations.notification.SmsRequest;

/**
 * Twilio's message creator as camel-twilio calls it: its arguments from an SMS request, its
 * Message read back as a result, and Twilio's errors classified by whose fault they are.
 */
public class TwilioSms {

    static final String PROVIDER = "twilio";
    private static final String ARG = "CamelTwilio.";

    /** Twilio error codes that are about the gateway's account or sender, not the caller's message. */
    private static final Set<Integer> OUR_CONFIGURATION = Set.of(
            20003, // authentication failed
            20404, // the account or resource was not found
            21212, // invalid From number
            21603, // From is required
            21606, // From cannot send SMS
            21659, // From is not a Twilio number
            21701, 21703, 21704, // messaging service problems
            30002); // account suspended

    private final Settings settings;
    private volatile TwilioRestClient client;
    private volatile String credentials;

    public TwilioSms(Settings settings) {
        this.settings = settings;
    }

    /** The client for the credentials in force now: rebuilt when they change (rotated in Vault). */
    public TwilioRestClient client() {
        String current = settings.get("sms.twilio.account-sid", "") + "|" + settings.get("sms.twilio.auth-token", "")
                + "|" + settings.get("sms.twilio.api-key-sid", "") + "|" + settings.get("sms.twilio.api-key-secret", "");
        TwilioRestClient answer = client;
        if (answer == null || !current.equals(credentials)) {
            answer = TwilioClients.create(settings);
            client = answer;
            credentials = current;
        }
        return answer;
    }

    /** Twilio's cheapest authenticated call: fetching the gateway's own account with the credentials in force now. */
    public CredentialCheck.Outcome checkCredentials() {
        String accountSid = settings.get("sms.twilio.account-sid").orElse(null);
        if (accountSid == null) {
            return CredentialCheck.Outcome.refused("sms.twilio.account-sid is not set");
        }
        try {
            com.twilio.rest.api.v2010.Account.fetcher(accountSid).fetch(client());
            return CredentialCheck.Outcome.accepted("the account fetch succeeded");
        } catch (ApiException e) {
            int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
            return e.getCode() != null && e.getCode() == 20003
                    ? CredentialCheck.Outcome.refused("the account fetch answered error 20003")
                    : CredentialCheck.Outcome.ofHttpStatus("the account fetch", status);
        }
    }

    /** The creator's arguments as camel-twilio headers, and nothing else of the caller's. */
    public void request(Exchange exchange) throws Exception {
        SmsRequest sms = exchange.getMessage().getMandatoryBody(SmsRequest.class);
        var message = exchange.getMessage();
        NotificationHeaders.keepOnlyOwn(message);
        message.setHeader(ARG + "to", new PhoneNumber(sms.to()));
        message.setHeader(ARG + "body", sms.message());
        var service = settings.get("sms.twilio.messaging-service-sid");
        if (service.isPresent()) {
            message.setHeader(ARG + "messagingServiceSid", service.get());
        } else {
            message.setHeader(ARG + "from", new PhoneNumber(settings.get("sms.twilio.from").orElseThrow()));
        }
        settings.get("sms.twilio.status-callback").ifPresent(url -> message.setHeader(ARG + "statusCallback", url));
        // camel-twilio takes the client per message: the one for the credentials in force
        message.setHeader(ARG + "client", client());
    }

    public NotificationResult result(Exchange exchange) throws Exception {
        Message created = exchange.getMessage().getMandatoryBody(Message.class);
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        String status = created.getStatus() == null ? "queued" : created.getStatus().toString().toLowerCase(Locale.ROOT);
        return new NotificationResult(id, status, PROVIDER, created.getSid());
    }

    public void failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        throw classify(caught, TwilioClients.lastRetryAfterMillis());
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
