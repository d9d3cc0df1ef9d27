package org.dotmac.integrations.sms.sns;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.notification.NotificationHeaders;
import org.dotmac.integrations.notification.NotificationResult;
import org.dotmac.integrations.sms.SmsRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * A text message published straight to a phone number with SNS's Publish (camel-aws2-sns publishes to
 * topics only, so the SDK's client is called), with the SMS type and sender attributes. SNS gives no
 * delivery receipts to the caller: a published message is {@code sent}.
 */
public class SnsSms {

    /** SNS's limit per message, in bytes of UTF-8 (the gateway's own is 1,600 characters). */
    public static final int MAX_MESSAGE_BYTES = 1600;
    static final String SMS_TYPE = "AWS.SNS.SMS.SMSType";
    static final String SENDER_ID = "AWS.SNS.SMS.SenderID";
    static final String ORIGINATION_NUMBER = "AWS.MM.SMS.OriginationNumber";

    private final Settings settings;
    private final SnsClient client;

    public SnsSms(Settings settings, SnsClient client) {
        this.settings = settings;
        this.client = client;
    }

    /** Replaces the exchange's body with the SDK's request, and its headers with the gateway's own. */
    public void request(Exchange exchange) throws Exception {
        SmsRequest sms = exchange.getMessage().getMandatoryBody(SmsRequest.class);
        int bytes = sms.message().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_MESSAGE_BYTES) {
            throw ProviderException.rejected(SnsFailures.PROVIDER, 400, "SNS takes at most " + MAX_MESSAGE_BYTES
                    + " bytes per message; this one is " + bytes + " bytes as UTF-8",
                    List.of(new ProblemException.FieldError("message", "at most " + MAX_MESSAGE_BYTES
                            + " bytes as UTF-8 while sms.provider is sns")));
        }
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(SMS_TYPE, text(settings.get("sms.sns.sms-type", "Transactional")));
        settings.get("sms.sns.sender-id").ifPresent(id -> attributes.put(SENDER_ID, text(id)));
        settings.get("sms.sns.origination-number").ifPresent(number -> attributes.put(ORIGINATION_NUMBER, text(number)));
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        exchange.getMessage().setBody(PublishRequest.builder().phoneNumber(sms.to()).message(sms.message())
                .messageAttributes(attributes).build());
    }

    /** The call itself: one Publish, never retried by the SDK. */
    public PublishResponse publish(PublishRequest request) {
        return client.publish(request);
    }

    public NotificationResult result(Exchange exchange) throws Exception {
        PublishResponse published = exchange.getMessage().getMandatoryBody(PublishResponse.class);
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        return new NotificationResult(id, "sent", SnsFailures.PROVIDER, published.messageId());
    }

    public void failure(Exchange exchange) {
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        throw SnsFailures.classify(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    /** GetSMSAttributes: a signed call that sends nothing. */
    public CredentialCheck.Outcome checkCredentials() {
        return SnsFailures.SNS.checkCredentials("GetSMSAttributes", () -> client.getSMSAttributes(r -> { }));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
