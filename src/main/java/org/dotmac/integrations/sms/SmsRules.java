package org.dotmac.integrations.sms;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.dotmac.integrations.core.ProblemException.FieldError;
import org.dotmac.integrations.notification.TextRules;

/** What makes an SMS request valid, the same for every door and before any provider's own limits. */
public final class SmsRules {

    /** Twilio's limit for a message body, in characters. */
    static final int MAX_SMS = 1600;
    /** ITU-T E.164: a plus sign, a country code that does not start with 0, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");

    private SmsRules() {
    }

    public static boolean isE164(String value) {
        return value != null && E164.matcher(value).matches();
    }

    /** Every problem of an SMS request; empty when it can be sent. */
    public static List<FieldError> problems(SmsRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.to() == null || request.to().isBlank()) {
            errors.add(new FieldError("to", "is required: a phone number in E.164 form, e.g. +14155550100"));
        } else if (!isE164(request.to())) {
            errors.add(new FieldError("to", "must be a phone number in E.164 form, e.g. +14155550100"));
        }
        TextRules.checkBody("message", request.message(), true, MAX_SMS, errors);
        return errors;
    }
}
