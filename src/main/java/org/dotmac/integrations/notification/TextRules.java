package org.dotmac.integrations.notification;

import java.util.List;

import org.dotmac.integrations.core.ProblemException.FieldError;

/**
 * Characters a notification's text may not hold, and the field checks every notification type shares.
 * A one-line value (an address, a subject, a file name) ends up in a mail header or a provider's form
 * field: no control character, no line or paragraph separator. A message body may hold tabs and line
 * breaks, no other control character. Neither may hold half of a surrogate pair (a JSON escape such as
 * \ud800 alone), which is no text.
 */
public final class TextRules {

    private TextRules() {
    }

    /** The reason a one-line value is refused, or null. */
    public static String oneLineProblem(String value) {
        if (hasLineBreak(value)) {
            return "must not contain line breaks (CR, LF, NEL, U+2028 or U+2029)";
        }
        return problem(value, false);
    }

    /** The reason a message body is refused, or null. */
    public static String bodyProblem(String value) {
        return problem(value, true);
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

    /** A one-line field such as a subject: required, at most {@code max} characters, one line. */
    public static void checkOneLine(String field, String value, int max, List<FieldError> errors) {
        checkLength(field, value, true, max, errors);
        String problem = oneLineProblem(value);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }

    /** A message body: at most {@code max} characters, no control character but tabs and line breaks. */
    public static void checkBody(String field, String value, boolean required, int max, List<FieldError> errors) {
        checkLength(field, value, required, max, errors);
        String problem = bodyProblem(value);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }

    private static void checkLength(String field, String value, boolean required, int max, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required and must not be blank"));
            }
        } else if (value.length() > max) {
            errors.add(new FieldError(field, "is " + value.length() + " characters long; at most " + max));
        }
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
