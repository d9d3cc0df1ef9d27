package org.dotmac.integrations.email;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One behaviour for every email provider, through the REST and JMS doors: what a caller sends is
 * what the provider receives. Each provider's test class says how to read what it received.
 */
public abstract class EmailProviderSuite {

    protected static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.4 pretend".getBytes());

    /** What a provider received, reduced to what the caller asked for. */
    public record Delivered(List<String> to, List<String> cc, String subject, String text, String html, List<String> attachments) {
    }

    protected abstract TestGateway gateway();

    protected abstract String provider();

    /** What the provider received for the gateway's id, or null while nothing has arrived. */
    protected abstract Delivered delivered(String id) throws Exception;

    @Test
    protected void restQueuesAnEmailAndTheProviderReceivesIt() throws Exception {
        HttpResponse<String> response = gateway().postJson("/api/v1/notifications/email", """
                {"to": ["ana@example.com", "Bo Li <bo@example.com>"], "cc": "cc@example.com",
                 "subject": "Your invoice", "content": "Hello Ana"}""");

        assertThat(response.statusCode()).isEqualTo(202);
        Delivered email = awaitDelivered(TestGateway.json(response.body()).get("id").asText());
        assertThat(email.to()).containsExactly("ana@example.com", "bo@example.com");
        assertThat(email.cc()).containsExactly("cc@example.com");
        assertThat(email.subject()).isEqualTo("Your invoice");
        assertThat(email.text()).isEqualTo("Hello Ana");
    }

    @Test
    protected void restWithWaitAnswersTheProvidersResult() throws Exception {
        HttpResponse<String> response = gateway().postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"Now\",\"content\":\"Hello\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = TestGateway.json(response.body());
        // the outbox keeps a message, it does not send it
        assertThat(result.get("status").asText()).isEqualTo(provider().equals("outbox") ? "captured" : "sent");
        assertThat(result.get("provider").asText()).isEqualTo(provider());
        assertThat(result.get("providerMessageId").asText()).isNotBlank();
        assertThat(delivered(result.get("id").asText())).isNotNull();
    }

    @Test
    protected void jmsSendsTheEmailAndRepliesWithTheResult() throws Exception {
        JsonNode result = TestGateway.json(gateway().requestJms("integrations.email",
                "{\"to\":\"ana@example.com\",\"subject\":\"Via JMS\",\"content\":\"Hello\"}"));

        assertThat(result.get("provider").asText()).isEqualTo(provider());
        assertThat(delivered(result.get("id").asText()).subject()).isEqualTo("Via JMS");
    }

    @Test
    protected void genericNotificationArrivesAsAnEmail() throws Exception {
        JsonNode result = TestGateway.json(gateway().postJson("/api/v1/notifications?wait=true",
                "{\"type\":\"email\",\"recipient\":\"ana@example.com\",\"subject\":\"Generic\",\"message\":\"Hi\"}").body());

        Delivered email = delivered(result.get("id").asText());
        assertThat(email.to()).containsExactly("ana@example.com");
        assertThat(email.text()).isEqualTo("Hi");
    }

    @Test
    protected void htmlAndAttachmentsArrive() throws Exception {
        HttpResponse<String> response = gateway().postJson("/api/v1/notifications/email", """
                {"to": "ana@example.com", "subject": "Report", "content": "See attached", "html": "<p>See attached</p>",
                 "attachments": [{"content": "%s", "filename": "report.pdf", "type": "application/pdf"},
                                 {"content": "aGVsbG8=", "filename": "notes.txt"}]}""".formatted(PDF));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Delivered email = awaitDelivered(TestGateway.json(response.body()).get("id").asText());
        assertThat(email.text()).isEqualTo("See attached");
        assertThat(email.html()).isEqualTo("<p>See attached</p>");
        assertThat(email.attachments()).containsExactly("report.pdf", "notes.txt");
    }

    @Test
    protected void anInvalidAttachmentIsRefusedBeforeAnyProvider() throws Exception {
        HttpResponse<String> response = gateway().postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\",\"attachments\":[{\"content\":\"not base64!\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        // base64 is decoded as the body is read, so the content is named before the missing filename
        assertThat(TestGateway.json(response.body()).get("errors").findValuesAsText("field"))
                .containsExactly("attachments[0].content");
    }

    /** A MIME message a provider received (SMTP, SES), reduced to what the caller asked for. */
    protected static Delivered delivered(MimeMessage message) throws MessagingException, IOException {
        List<String> text = new ArrayList<>();
        List<String> html = new ArrayList<>();
        List<String> attachments = new ArrayList<>();
        collect(message, text, html, attachments);
        return new Delivered(emails(message.getRecipients(Message.RecipientType.TO)),
                emails(message.getRecipients(Message.RecipientType.CC)), message.getSubject(),
                text.isEmpty() ? null : text.get(0), html.isEmpty() ? null : html.get(0), attachments);
    }

    private static void collect(Part part, List<String> text, List<String> html, List<String> attachments)
            throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            attachments.add(MimeUtility.decodeText(part.getFileName()));
        } else if (part.isMimeType("text/plain")) {
            text.add((String) part.getContent());
        } else if (part.isMimeType("text/html")) {
            html.add((String) part.getContent());
        } else if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), text, html, attachments);
            }
        }
    }

    private static List<String> emails(Address[] addresses) {
        return addresses == null ? List.of()
                : Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }

    protected Delivered awaitDelivered(String id) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> delivered(id), d -> d != null);
    }
}
