package org.dotmac.integrations.email;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.dotmac.integrations.core.JsonRequests;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.notification.NotificationRequest;
import org.dotmac.integrations.notification.NotificationType;

/** Email as a notification type: its request read from any door and checked by {@link EmailRules}. */
public class EmailRequests implements NotificationType {

    private static final String ADDRESSES = "an address or a list of addresses";
    private static final Map<String, String> NOT_TEXT = Map.of("to", ADDRESSES, "cc", ADDRESSES, "bcc", ADDRESSES);

    private final JsonRequests json;
    private final String defaultSubject;

    public EmailRequests(JsonRequests json, String defaultSubject) {
        this.json = json;
        this.defaultSubject = defaultSubject;
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public EmailRequest read(Exchange exchange) {
        EmailRequest request = json.read(exchange, EmailRequest.class, NOT_TEXT);
        return ProblemException.unlessInvalid(request, EmailRules.problems(request));
    }

    @Override
    public EmailRequest fromGeneric(NotificationRequest request) {
        return new EmailRequest(request.recipient() == null ? null : List.of(request.recipient()),
                request.subject() == null ? defaultSubject : request.subject(), request.message());
    }

    @Override
    public String genericField(String field) {
        return switch (field) {
            case "to" -> "recipient";
            case "content" -> "message";
            default -> field;
        };
    }
}
