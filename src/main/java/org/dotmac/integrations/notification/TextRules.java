package org.dotmac.integrations.notification;

/**
 * Characters a notification's text may not hold. A one-line value (an address, a subject, a file
 * name) ends up in a mail header or a provider's form field: no control character, no line or
 * paragraph separator. A message body may hold tabs and line breaks, no other control character.
 * Neither may hold half of a surrogate pair (a JSON escape such as \ud800 alone), which is no text.
 */
public final class TextRules {

    private TextRules() {
    }

    /** The reason a one-line value is refused, or null. */
    public static String oneLineProblem(String value) {
        if (Addresses.hasLineBreak(value)) {
            return "must not contain line breaks (CR, LF, NEL, U+2028 or U+2029)";
        }
        return problem(value, false);
    }

    /** The reason a message body is refused, or null. */
    public static String bodyProblem(String value) {
        return problem(value, true);
    }

    private static String problem(String value, boolean lineBreaksAllowed) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "holds an unpaired surrogate (\\u" + Integer.toHexString(c) + "), which is not text";
            } else if (c == '\t' || (lineBreaksAllowed && (c == '\n' || c == '\r'))) {
                continue;
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                return "must not contain control characters (found U+" + String.format("%04X", (int) c) + ")";
            }
        }
        return null;
    }
}
