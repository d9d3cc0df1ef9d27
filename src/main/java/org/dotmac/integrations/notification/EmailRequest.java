package org.dotmac.integrations.notification;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An email to send; {@code to}, {@code cc} and {@code bcc} take one address or a list. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EmailRequest(List<String> to, String subject, String content, String html,
        List<String> cc, List<String> bcc, String replyTo, List<Attachment> attachments) {

    public EmailRequest {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    public EmailRequest(List<String> to, String subject, String content) {
        this(to, subject, content, null, null, null, null, null);
    }
}
