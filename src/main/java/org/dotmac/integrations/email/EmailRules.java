package org.dotmac.integrations.email;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.dotmac.integrations.core.ProblemException.FieldError;
import org.dotmac.integrations.notification.TextRules;

/**
 * What makes an email request valid, field by field, the same for every door and before any
 * provider's own limits: each problem names its field, so a caller can fix them all at once.
 */
public final class EmailRules {

    /** SendGrid's limits, which SMTP servers commonly share: recipients in all, and the whole message. */
    static final int MAX_RECIPIENTS = 1000;
    static final long MAX_EMAIL_BYTES = 30L * 1024 * 1024;
    /** RFC 5322's line limit. */
    static final int MAX_SUBJECT = 998;
    static final int MAX_FILENAME = 255;
    private static final Pattern MEDIA_TYPE = Pattern.compile("^[A-Za-z0-9][\\w.+-]*/[A-Za-z0-9][\\w.+-]*$");

    private EmailRules() {
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

    /** Every problem of an email request; empty when it can be sent. */
    public static List<FieldError> problems(EmailRequest request) {
        List<FieldError> errors = new ArrayList<>();
        checkAddresses("to", request.to(), true, errors);
        checkAddresses("cc", request.cc(), false, errors);
        checkAddresses("bcc", request.bcc(), false, errors);
        int recipients = request.to().size() + request.cc().size() + request.bcc().size();
        if (recipients > MAX_RECIPIENTS) {
            errors.add(new FieldError("to", "to, cc and bcc hold " + recipients + " addresses; at most "
                    + MAX_RECIPIENTS + " in all"));
        }
        if (request.replyTo() != null && !isEmail(request.replyTo())) {
            errors.add(new FieldError("replyTo", "must be an email address (RFC 5322)"));
        }
        TextRules.checkOneLine("subject", request.subject(), MAX_SUBJECT, errors);
        TextRules.checkBody("content", request.content(), true, Integer.MAX_VALUE, errors);
        String htmlProblem = TextRules.bodyProblem(request.html());
        if (htmlProblem != null) {
            errors.add(new FieldError("html", htmlProblem));
        }
        long bytes = utf8Length(request.content()) + utf8Length(request.html());
        bytes += checkAttachments(request.attachments(), errors);
        if (bytes > MAX_EMAIL_BYTES) {
            errors.add(new FieldError(request.attachments().isEmpty() ? "content" : "attachments",
                    "the email is " + bytes + " bytes (text, html and decoded attachments); at most " + MAX_EMAIL_BYTES));
        }
        return errors;
    }

    private static void checkAddresses(String field, List<String> addresses, boolean required, List<FieldError> errors) {
        if (addresses.isEmpty()) {
            if (required) {
                errors.add(new FieldError(field, "is required: one address or a list of addresses"));
            }
            return;
        }
        for (int i = 0; i < addresses.size(); i++) {
            String name = addresses.size() == 1 ? field : field + "[" + i + "]";
            if (!isEmail(addresses.get(i))) {
                errors.add(new FieldError(name, "must be an email address (RFC 5322)"));
            }
        }
    }

    /** Checks each attachment and returns their decoded size. */
    private static long checkAttachments(List<Attachment> attachments, List<FieldError> errors) {
        long bytes = 0;
        for (int i = 0; i < attachments.size(); i++) {
            Attachment attachment = attachments.get(i);
            String field = "attachments[" + i + "]";
            if (attachment == null) {
                errors.add(new FieldError(field, "must be an object {content, filename, type?}"));
                continue;
            }
            if (attachment.filename() == null || attachment.filename().isBlank()) {
                errors.add(new FieldError(field + ".filename", "is required"));
            } else if (attachment.filename().length() > MAX_FILENAME || TextRules.oneLineProblem(attachment.filename()) != null) {
                errors.add(new FieldError(field + ".filename", "must be at most " + MAX_FILENAME
                        + " characters without control characters or line breaks"));
            }
            if (attachment.type() != null && !MEDIA_TYPE.matcher(attachment.type()).matches()) {
                errors.add(new FieldError(field + ".type", "must be a media type such as application/pdf"));
            }
            if (attachment.content() == null || attachment.content().length == 0) {
                errors.add(new FieldError(field + ".content", "is required: the file's bytes in base64"));
            } else {
                bytes += attachment.content().length;
            }
        }
        return bytes;
    }

    private static long utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
