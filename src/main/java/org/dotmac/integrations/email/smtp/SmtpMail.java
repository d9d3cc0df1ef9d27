package org.dotmac.integrations.email.smtp;

import java.util.Locale;
import java.util.Properties;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailAuthenticator;
import org.apache.camel.component.mail.MailConstants;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.email.MimeMessages;
import org.dotmac.integrations.email.EmailRequest;
import org.dotmac.integrations.notification.NotificationHeaders;
import org.dotmac.integrations.notification.NotificationResult;

/**
 * The MIME message ({@link MimeMessages}) sent over SMTP (camel-mail), and the server's answer read
 * back as a result or a classified failure.
 */
public class SmtpMail {

    static final String PROVIDER = "smtp";
    /** The gateway's id in the message, for tracing it through mail logs. */
    public static final String ID_HEADER = MimeMessages.ID_HEADER;

    private final Settings settings;

    public SmtpMail(Settings settings) {
        this.settings = settings;
    }

    /** Replaces the exchange's headers and body with the MIME message, which camel-mail sends as it is. */
    public void message(Exchange exchange) throws Exception {
        EmailRequest email = exchange.getMessage().getMandatoryBody(EmailRequest.class);
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        MimeMessage mime = mimeMessage(email, id);
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        exchange.getMessage().setBody(mime);
    }

    MimeMessage mimeMessage(EmailRequest email, String id) throws Exception {
        return MimeMessages.write(email, id, settings.get("email.from-address").orElseThrow(),
                settings.get("email.from-name").orElse(null));
    }

    /** After camel-mail sent it: the message's Message-ID is the provider's id. */
    public NotificationResult result(Exchange exchange) {
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        String messageId = exchange.getMessage().getHeader(MailConstants.MAIL_MESSAGE_ID, String.class);
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        return new NotificationResult(id, "sent", PROVIDER, messageId);
    }

    /** The server refused or could not be reached: classify by whose fault it is. */
    public void failure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        throw SmtpFailures.classify(cause);
    }

    /** JavaMail settings of the SMTP endpoint: transport security, timeouts, authentication. */
    public static Properties javaMailProperties(Settings settings) {
        Properties properties = new Properties();
        String security = settings.get("email.smtp.security", "none").toLowerCase(Locale.ROOT);
        switch (security) {
            case "starttls" -> {
                properties.setProperty("mail.smtp.starttls.enable", "true");
                properties.setProperty("mail.smtp.starttls.required", "true");
            }
            case "tls" -> properties.setProperty("mail.smtp.ssl.enable", "true");
            default -> {
            }
        }
        if (!security.equals("none")) {
            properties.setProperty("mail.smtp.ssl.checkserveridentity",
                    String.valueOf(Boolean.parseBoolean(settings.get("email.smtp.check-server-identity", "true"))));
            settings.get("email.smtp.ssl-trust").ifPresent(hosts -> properties.setProperty("mail.smtp.ssl.trust", hosts));
        }
        String timeout = String.valueOf(settings.getInt("email.smtp.timeout", 10_000));
        properties.setProperty("mail.smtp.connectiontimeout", timeout);
        properties.setProperty("mail.smtp.timeout", timeout);
        properties.setProperty("mail.smtp.writetimeout", timeout);
        if (settings.get("email.smtp.username").isPresent()) {
            properties.setProperty("mail.smtp.auth", "true");
        }
        return properties;
    }

    /** Asked by JavaMail only when mail.smtp.auth is on, i.e. when a username is set. */
    public static MailAuthenticator authenticator(Settings settings) {
        return new MailAuthenticator() {
            @Override
            public PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(settings.get("email.smtp.username").orElse(""),
                        settings.get("email.smtp.password").orElse(""));
            }
        };
    }

    /** Connecting and authenticating, as a send would, then quitting: the mail server's verdict on the credentials. */
    public static CredentialCheck credentialCheck(Settings settings) {
        return () -> {
            Session session = Session.getInstance(javaMailProperties(settings));
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(settings.get("email.smtp.host").orElseThrow(), settings.getInt("email.smtp.port", 25),
                        settings.get("email.smtp.username").orElse(null), settings.get("email.smtp.password").orElse(null));
                return CredentialCheck.Outcome.accepted("the mail server accepted the login");
            } catch (AuthenticationFailedException e) {
                return CredentialCheck.Outcome.refused("the mail server refused the login");
            } catch (MessagingException e) {
                return CredentialCheck.Outcome.unknown(
                        "the mail server could not be asked (" + e.getClass().getSimpleName() + ")");
            }
        };
    }
}
