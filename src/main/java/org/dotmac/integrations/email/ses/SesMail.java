package org.dotmac.integrations.email.ses;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.ses.Ses2Constants;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.email.MimeMessages;
import org.dotmac.integrations.email.EmailRequest;
import org.dotmac.integrations.notification.NotificationHeaders;
import org.dotmac.integrations.notification.NotificationResult;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * The MIME message sent through SES's SendRawEmail (camel-aws2-ses), checked against SES's own limits
 * first, and SES's answer read back as a result or a classified failure.
 */
public class SesMail {

    /** SES v1 SendRawEmail: recipients per message (to, cc and bcc together). */
    public static final int MAX_RECIPIENTS = 50;
    /** SES v1 SendRawEmail: the raw message after base64 encoding of its parts, in bytes. */
    public static final long MAX_MESSAGE_BYTES = 10L * 1024 * 1024;
    /** The message tag that carries the gateway's id into SES's events. */
    public static final String ID_TAG = "dotmac-id";

    private final Settings settings;
    private final SesClient client;

    public SesMail(Settings settings, SesClient client) {
        this.settings = settings;
        this.client = client;
    }

    /**
     * Replaces the exchange's body with the MIME message, which camel-aws2-ses sends as SendRawEmail, and
     * its headers with the component's: every recipient as a destination, the sender, the gateway's id
     * as a message tag, the configuration set.
     */
    public void request(Exchange exchange) throws Exception {
        EmailRequest email = exchange.getMessage().getMandatoryBody(EmailRequest.class);
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        List<String> recipients = new ArrayList<>();
        for (List<String> field : List.of(email.to(), email.cc(), email.bcc())) {
            for (String address : field) {
                recipients.add(new InternetAddress(address, true).getAddress());
            }
        }
        if (recipients.size() > MAX_RECIPIENTS) {
            throw ProviderException.rejected(SesFailures.PROVIDER, 400, "SES takes at most " + MAX_RECIPIENTS
                    + " recipients per message (to, cc and bcc together); this one has " + recipients.size(),
                    List.of(new ProblemException.FieldError("to", "at most " + MAX_RECIPIENTS
                            + " recipients with cc and bcc while email.provider is ses")));
        }
        String from = settings.get("email.from-address").orElseThrow();
        MimeMessage mime = MimeMessages.write(email, id, from, settings.get("email.from-name").orElse(null));
        // the component writes every header: blind copies reach their recipients as destinations only
        mime.removeHeader("Bcc");
        long size = size(mime);
        if (size > MAX_MESSAGE_BYTES) {
            throw ProviderException.rejected(SesFailures.PROVIDER, 413, "the message is " + size
                    + " bytes as MIME; SES takes at most " + MAX_MESSAGE_BYTES + " (10 MiB) per message", List.of());
        }
        Message message = exchange.getMessage();
        NotificationHeaders.keepOnlyOwn(message);
        message.setHeader(Ses2Constants.FROM, from);
        message.setHeader(Ses2Constants.TO, String.join(",", recipients));
        if (id != null) {
            message.setHeader(Ses2Constants.TAGS, Map.of(ID_TAG, id));
        }
        settings.get("email.ses.configuration-set").ifPresent(set -> message.setHeader(Ses2Constants.CONFIGURATION_SET, set));
        message.setBody(mime);
    }

    /** The bytes SES counts, without holding a copy of them. */
    private static long size(MimeMessage mime) throws Exception {
        long[] count = {0};
        mime.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        });
        return count[0];
    }

    /** After camel-aws2-ses sent it: SES's message id is the provider's id. */
    public NotificationResult result(Exchange exchange) {
        String id = exchange.getMessage().getHeader(NotificationHeaders.ID, String.class);
        String messageId = exchange.getMessage().getHeader(Ses2Constants.MESSAGE_ID, String.class);
        NotificationHeaders.keepOnlyOwn(exchange.getMessage());
        return new NotificationResult(id, "sent", SesFailures.PROVIDER, messageId);
    }

    public void failure(Exchange exchange) {
        throw SesFailures.classify(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    /** GetSendQuota: the cheapest signed call, which SES answers for any account it accepts. */
    public CredentialCheck.Outcome checkCredentials() {
        return SesFailures.SES.checkCredentials("GetSendQuota", () -> client.getSendQuota());
    }
}
