package org.dotmac.integrations.sms;

import java.util.Map;

import org.apache.camel.Exchange;
import org.dotmac.integrations.core.JsonRequests;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.notification.NotificationRequest;
import org.dotmac.integrations.notification.NotificationType;

/** SMS as a notification type: its request read from any door and checked by {@link SmsRules}. */
public class SmsRequests implements NotificationType {

    private final JsonRequests json;

    public SmsRequests(JsonRequests json) {
        this.json = json;
    }

    @Override
    public String name() {
        return "sms";
    }

    @Override
    public SmsRequest read(Exchange exchange) {
        SmsRequest request = json.read(exchange, SmsRequest.class, Map.of());
        return ProblemException.unlessInvalid(request, SmsRules.problems(request));
    }

    @Override
    public SmsRequest fromGeneric(NotificationRequest request) {
        if (request.subject() != null) {
            throw ProblemException.invalid("subject", "an SMS has no subject");
        }
        return new SmsRequest(request.recipient(), request.message());
    }

    @Override
    public String genericField(String field) {
        return field.equals("to") ? "recipient" : field;
    }
}
