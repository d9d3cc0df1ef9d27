package org.dotmac.integrations.sms.twilio;

import java.util.Locale;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import org.apache.camel.Exchange;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.notification.NotificationHeaders;
import org.dotmac.integrations.notification.NotificationResult;
import org.dotmac.integrations.sms.SmsRequest;

/**
 * Twilio's message creator as camel-twilio calls it: its arguments from an SMS request, its
 * Message read back as a result, and Twilio's errors classified by whose fault they are.
 */
public class TwilioSms {

    static final String PROVIDER = "twilio";
    private static final String ARG = "CamelTwilio.";

    /** Twilio error codes that are about the gateway's account or sender, not the caller's message. */
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
        TwilioEvents.statusCallback(settings).ifPresent(url -> message.setHeader(ARG + "statusCallback", url));
        // camel-twilio takes the client per message: the one for the credentials in force
        message.setHeader(ARG + "client", client());
    }

    public NotificationResult result(Exchange exchange) throws Exception {
        Message created = exchange.getMessage().getMandatoryBody(Message.class);
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        // Twilio's own status (queued, accepted, ...) beside the gateway's: Twilio took it
        String status = created.getStatus() == null ? null : created.getStatus().toString().toLowerCase(Locale.ROOT);
        return new NotificationResult(id, "sent", PROVIDER, created.getSid(), status);
    }

    public void failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        throw TwilioFailures.classify(caught, TwilioClients.lastRetryAfterMillis());
    }
}
