package org.dotmac.integrations.email.smtp;

import org.dotmac.integrations.email.EmailProviderSuite;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The email suite over SMTP to GreenMail, a real mail server, with the MIME message it received. */
class SmtpEmailTest extends EmailProviderSuite {

    static final int SMTP_PORT = freePort();
    static final String PASSWORD = TestSecrets.SMTP_PASSWORD;

    @RegisterExtension
    static final GreenMailExtension mail = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("gateway", PASSWORD))
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "email.provider", "smtp",
            "email.from-address", "noreply@dotmac.example",
            "email.from-name", "Équipe DotMac",
            "email.smtp.host", "127.0.0.1",
            "email.smtp.port", String.valueOf(SMTP_PORT),
            "email.smtp.username", "gateway",
            "email.smtp.password", PASSWORD));

    @BeforeEach
    void emptyMailboxes() throws Exception {
        mail.purgeEmailFromAllMailboxes();
    }

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected String provider() {
        return "smtp";
    }

    @Override
    protected Delivered delivered(String id) throws Exception {
        MimeMessage message = received(id);
        return message == null ? null : delivered(message);
    }

    @Test
    void writesAStandardMimeMessage() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true", """
                {"to": "José Núñez <jose@example.com>", "bcc": "audit@example.com", "replyTo": "help@example.com",
                 "subject": "Grüße aus Köln – your résumé", "content": "Hallo José", "html": "<p>Hallo José</p>",
                 "attachments": [{"content": "%s", "filename": "résumé.pdf", "type": "application/pdf"}]}""".formatted(PDF));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = TestGateway.json(response.body());
        MimeMessage message = received(result.get("id").asText());

        assertThat(message.getMessageID()).isEqualTo(result.get("providerMessageId").asText());
        assertThat(message.getHeader("Subject", null)).startsWith("=?UTF-8?");
        assertThat(message.getSubject()).isEqualTo("Grüße aus Köln – your résumé");
        assertThat(message.getHeader("From", null)).contains("=?UTF-8?").contains("<noreply@dotmac.example>");
        assertThat(((InternetAddress) message.getFrom()[0]).getPersonal()).isEqualTo("Équipe DotMac");
        assertThat(((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getPersonal()).isEqualTo("José Núñez");
        assertThat(message.getHeader("Bcc")).as("bcc is never a header").isNull();
        assertThat(((InternetAddress) message.getReplyTo()[0]).getAddress()).isEqualTo("help@example.com");

        assertThat(message.getContentType()).startsWith("multipart/mixed");
        Multipart mixed = (Multipart) message.getContent();
        assertThat(mixed.getBodyPart(0).getContentType()).startsWith("multipart/alternative");
        Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getBodyPart(0).getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Hallo José");
        assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
        BodyPart attachment = mixed.getBodyPart(1);
        assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attachment.getContentType()).startsWith("application/pdf");
        assertThat(MimeUtility.decodeText(attachment.getFileName())).isEqualTo("résumé.pdf");
        assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(java.util.Base64.getDecoder().decode(PDF));

        assertThat(mail.getReceivedMessages()).as("one copy to the recipient, one to bcc").hasSize(2);
    }

    @Test
    void plainTextAloneIsATextPlainMessage() throws Exception {
        JsonNode result = TestGateway.json(gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"Plain\",\"content\":\"Just text\"}").body());
        MimeMessage message = received(result.get("id").asText());

        assertThat(message.getContentType()).startsWith("text/plain");
        assertThat(message.getContent()).isEqualTo("Just text");
    }

    private static MimeMessage received(String id) throws MessagingException {
        for (MimeMessage message : mail.getReceivedMessages()) {
            String[] ids = message.getHeader(SmtpMail.ID_HEADER);
            if (ids != null && Arrays.asList(ids).contains(id)) {
                return message;
            }
        }
        return null;
    }

    private static int freePort() {
        try {
            return TestGateway.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
