package org.dotmac.integrations.sms;

/** A text message to an E.164 number. */
public record SmsRequest(String to, String message) {
}
