package org.dotmac.integrations.email.sendgrid;

import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.JsonEntity;
import org.dotmac.integrations.core.ProblemException.FieldError;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.ProviderUnavailableException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.email.Attachment;
import org.dotmac.integrations.email.EmailRequest;
import org.dotmac.integrations.notification.NotificationHeaders;
import org.dotmac.integrations.notification.NotificationResult;

/**
 * SendGrid's v3 mail/send: the request built from an email, and its answer read back as a result
 * or a classified failure. The API key lives here and in the one HTTP call, nowhere else.
 */
public class SendGridMail {

    static final String PROVIDER = "sendgrid";
    /** The custom_args key that carries the gateway's id into SendGrid's events. */
    static final String ID_ARG = "gateway_message_id";

    private final ObjectMapper mapper = new ObjectMapper();
    private final Settings settings;
    private volatile String apiKey;
    private volatile long apiKeyReadAt;
    private volatile Map<String, String> sender;

    public SendGridMail(Settings settings) {
        this.settings = settings;
    }

    /** Replaces the exchange's headers and body with the mail/send call, and nothing else. */
    public void request(Exchange exchange) throws Exception {
        EmailRequest email = exchange.getMessage().getMandatoryBody(EmailRequest.class);
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        // written to the connection as it is sent; the attachments' base64 text is never held
        JsonEntity body = new JsonEntity(mapper, mailSend(email, id));
        var message = exchange.getMessage();
        // nothing the caller sent (its own API key among them) may travel to SendGrid
        NotificationHeaders.keepOnlyOwn(message);
        message.setHeader("Authorization", "Bearer " + apiKey());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        // the enum itself: a String made camel-http look up a converter on every call (7% of a send, JFR)
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
        message.setBody(body);
    }

    Map<String, Object> mailSend(EmailRequest email, String id) throws AddressException {
        Map<String, Object> personalization = new LinkedHashMap<>();
        personalization.put("to", addresses(email.to()));
        if (!email.cc().isEmpty()) {
            personalization.put("cc", addresses(email.cc()));
        }
        if (!email.bcc().isEmpty()) {
            personalization.put("bcc", addresses(email.bcc()));
        }
        if (id != null) {
            // per personalization: SendGrid's contract types the message-level custom_args as a string
            personalization.put("custom_args", Map.of(ID_ARG, id));
        }
        Map<String, Object> mail = new LinkedHashMap<>();
        mail.put("personalizations", List.of(personalization));
        mail.put("from", sender());
        if (email.replyTo() != null) {
            mail.put("reply_to", address(email.replyTo()));
        }
        mail.put("subject", email.subject());
        // SendGrid requires text/plain first, then text/html
        List<Map<String, String>> content = new ArrayList<>();
        content.add(Map.of("type", "text/plain", "value", email.content()));
        if (email.html() != null && !email.html().isBlank()) {
            content.add(Map.of("type", "text/html", "value", email.html()));
        }
        mail.put("content", content);
        if (!email.attachments().isEmpty()) {
            List<Map<String, Object>> attachments = new ArrayList<>();
            for (Attachment a : email.attachments()) {
                Map<String, Object> attachment = new LinkedHashMap<>();
                // bytes: Jackson writes them as padded base64 without line breaks, as SendGrid takes them
                attachment.put("content", a.content());
                attachment.put("filename", a.filename());
                if (a.type() != null) {
                    attachment.put("type", a.type());
                }
                attachment.put("disposition", "attachment");
                attachments.add(attachment);
            }
            mail.put("attachments", attachments);
        }
        return mail;
    }

    /** SendGrid's answer: 202 is sent; anything else a failure classified by whose it is. */
    public NotificationResult result(Exchange exchange) {
        var message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String id = message.getHeader(NotificationHeaders.ID, String.class);
        String messageId = message.getHeader("X-Message-Id", String.class);
        String body = message.getBody(String.class);
        long retryAfter = ProviderUnavailableException.parseRetryAfter(message.getHeader("Retry-After", String.class));
        NotificationHeaders.keepOnlyOwn(message);
        if (status >= 200 && status < 300) {
            return new NotificationResult(id, "sent", PROVIDER, messageId);
        }
        throw SendGridFailures.classify(status, errors(body), retryAfter);
    }

    /** SendGrid's cheapest authenticated call, GET /v3/scopes, with the key in force now. */
    public CredentialCheck.Outcome checkCredentials() throws Exception {
        String key;
        try {
            key = apiKey();
        } catch (ProviderException missing) {
            return CredentialCheck.Outcome.refused(missing.detail());
        }
        var timeout = Duration.ofMillis(settings.getLong("email.sendgrid.read-timeout", 30_000));
        try (var http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(settings.getLong("email.sendgrid.connect-timeout", 5_000))).build()) {
            var request = HttpRequest.newBuilder(URI.create(
                            settings.get("email.sendgrid.base-url", "https://api.sendgrid.com") + "/v3/scopes"))
                    .timeout(timeout).header("Authorization", "Bearer " + key).GET().build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return CredentialCheck.Outcome.ofHttpStatus("GET /v3/scopes", status);
        }
    }

    /** The call did not get an answer: timeouts and I/O errors are worth retrying. */
    public void ioFailure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getMessage().removeHeader("Authorization");
        if (cause instanceof InterruptedIOException) {
            throw ProviderException.timedOut(PROVIDER, "SendGrid did not answer in time");
        }
        throw ProviderException.unavailable(PROVIDER, "SendGrid could not be reached ("
                + (cause == null ? "I/O error" : cause.getClass().getSimpleName()) + ")");
    }

    private List<FieldError> errors(String body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || body.isBlank()) {
            return errors;
        }
        try {
            JsonNode root = mapper.readTree(body);
            for (JsonNode error : root.path("errors")) {
                String field = error.path("field").isTextual() ? error.path("field").asText() : "sendgrid";
                errors.add(new FieldError(field, scrub(error.path("message").asText(""))));
            }
        } catch (JsonProcessingException e) {
            // not SendGrid's JSON error shape: relay nothing rather than a proxy's HTML page
        }
        return errors;
    }

    /** Belt and braces: a relayed message never repeats the key. */
    private String scrub(String text) {
        String key = settings.get("email.sendgrid.api-key").orElse(null);
        return key == null ? text : text.replace(key, "***");
    }

    /** Read again at most once a second, so a key rotated in Vault is taken up without a lookup per send. */
    private String apiKey() {
        long now = System.nanoTime();
        String key = apiKey;
        if (key == null || now - apiKeyReadAt > 1_000_000_000L) {
            key = settings.get("email.sendgrid.api-key").orElseThrow(() -> ProviderException.credentialsRefused(PROVIDER,
                    "email.sendgrid.api-key (EMAIL__SENDGRID__API_KEY) is not set"));
            apiKey = key;
            apiKeyReadAt = now;
        }
        return key;
    }

    private Map<String, String> sender() {
        Map<String, String> cached = sender;
        if (cached == null) {
            Map<String, String> from = new LinkedHashMap<>();
            from.put("email", settings.get("email.from-address").orElseThrow());
            settings.get("email.from-name").ifPresent(name -> from.put("name", name));
            cached = java.util.Collections.unmodifiableMap(from);
            sender = cached;
        }
        return cached;
    }

    private static List<Map<String, String>> addresses(List<String> values) throws AddressException {
        List<Map<String, String>> answer = new ArrayList<>();
        for (String value : values) {
            answer.add(address(value));
        }
        return answer;
    }

    private static Map<String, String> address(String value) throws AddressException {
        InternetAddress address = new InternetAddress(value, true);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("email", address.getAddress());
        if (address.getPersonal() != null && !address.getPersonal().isBlank()) {
            answer.put("name", address.getPersonal());
        }
        return answer;
    }
}
