package org.dotmac.integrations.email;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;


/**
 * The MIME message of an email request, shared by the providers that send raw messages (SMTP, SES):
 * text, or text and html as alternatives, attachments, cc, bcc and reply-to. Non-ASCII subjects, names
 * and file names are encoded as RFC 2047 words.
 */
public final class MimeMessages {

    /** The gateway's id in the message, for tracing it through mail logs. */
    public static final String ID_HEADER = "X-DotMac-Message-Id";

    private static final Session SESSION = Session.getInstance(new Properties());

    private MimeMessages() {
    }

    public static MimeMessage write(EmailRequest email, String id, String fromAddress, String fromName) throws Exception {
        MimeMessage mime = new MimeMessage(SESSION);
        mime.setFrom(new InternetAddress(fromAddress, fromName, StandardCharsets.UTF_8.name()));
        mime.setRecipients(Message.RecipientType.TO, addresses(email.to()));
        if (!email.cc().isEmpty()) {
            mime.setRecipients(Message.RecipientType.CC, addresses(email.cc()));
        }
        if (!email.bcc().isEmpty()) {
            mime.setRecipients(Message.RecipientType.BCC, addresses(email.bcc()));
        }
        if (email.replyTo() != null) {
            mime.setReplyTo(addresses(List.of(email.replyTo())));
        }
        mime.setSubject(email.subject(), StandardCharsets.UTF_8.name());
        mime.setSentDate(new Date());
        if (id != null) {
            mime.setHeader(ID_HEADER, id);
        }

        MimeBodyPart text = new MimeBodyPart();
        text.setText(email.content(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart body = text;
        if (email.html() != null && !email.html().isBlank()) {
            MimeBodyPart html = new MimeBodyPart();
            html.setText(email.html(), StandardCharsets.UTF_8.name(), "html");
            MimeMultipart alternative = new MimeMultipart("alternative", text, html);
            body = new MimeBodyPart();
            body.setContent(alternative);
        }
        if (email.attachments().isEmpty()) {
            if (body == text) {
                mime.setText(email.content(), StandardCharsets.UTF_8.name(), "plain");
            } else {
                mime.setContent((MimeMultipart) body.getContent());
            }
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(body);
            for (Attachment attachment : email.attachments()) {
                mixed.addBodyPart(attachmentPart(attachment));
            }
            mime.setContent(mixed);
        }
        mime.saveChanges();
        return mime;
    }

    private static MimeBodyPart attachmentPart(Attachment attachment) throws Exception {
        String type = attachment.type() == null ? "application/octet-stream" : attachment.type();
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), type)));
        part.setFileName(MimeUtility.encodeText(attachment.filename(), StandardCharsets.UTF_8.name(), null));
        part.setDisposition(Part.ATTACHMENT);
        return part;
    }

    private static InternetAddress[] addresses(List<String> values) throws Exception {
        InternetAddress[] answer = new InternetAddress[values.size()];
        for (int i = 0; i < values.size(); i++) {
            InternetAddress parsed = new InternetAddress(values.get(i), true);
            // re-created with a charset so that a non-ASCII display name is written as an RFC 2047 word
            answer[i] = new InternetAddress(parsed.getAddress(), parsed.getPersonal(), StandardCharsets.UTF_8.name());
        }
        return answer;
    }
}
