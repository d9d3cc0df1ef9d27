package org.dotmac.integrations.email;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An email to send; {@code to}, {@code cc} and {@code bcc} take one address or a list. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EmailRequest(List<String> to, String subject, String content, String html,
        List<String> cc, List<String> bcc, String replyTo, List<Attachment> attachments) {

    public EmailRequest {
        to = listOf(to);
        cc = listOf(cc);
        bcc = listOf(bcc);
        attachments = listOf(attachments);
    }

    /** An unmodifiable copy that keeps a null element ({"to": [null]}), which the rules then name. */
    private static <T> List<T> listOf(List<T> values) {
        return values == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }

    public EmailRequest(List<String> to, String subject, String content) {
        this(to, subject, content, null, null, null, null, null);
    }
}
