package org.dotmac.integrations.notification;

import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** Address rules shared by every door and provider. */
public final class Addresses {

    /** ITU-T E.164: a plus sign, a country code that does not start with 0, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");

    private Addresses() {
    }

    /** One RFC 5322 mailbox (a bare address or "Name <address>"), with a domain part. */
    public static boolean isEmail(String value) {
        if (value == null || value.isBlank() || value.length() > 320 || TextRules.oneLineProblem(value) != null) {
            return false;
        }
        try {
            // the strict parse requires a local part and a domain; a group ("friends: a@b.com;") parses
            // too, but names a list of mailboxes, not one
            return !new InternetAddress(value, true).isGroup();
        } catch (AddressException e) {
            return false;
        }
    }

    public static boolean isE164(String value) {
        return value != null && E164.matcher(value).matches();
    }

    /** CR or LF (or a Unicode line break): in a mail header they would start a new header (header injection). */
    public static boolean hasLineBreak(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }
}
