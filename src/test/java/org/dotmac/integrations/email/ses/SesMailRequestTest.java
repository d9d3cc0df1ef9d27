package org.dotmac.integrations.email.ses;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.internet.MimeMessage;

import org.apache.camel.component.aws2.ses.Ses2Constants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.email.EmailRequest;
import org.dotmac.integrations.notification.NotificationHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What camel-aws2-ses is handed: moto does not show tags or the configuration set, so they are read here. */
class SesMailRequestTest {

    @Test
    void everyRecipientIsADestinationTheIdATagAndTheConfigurationSetNamed() throws Exception {
        Map<String, String> properties = Map.of("email.from-address", "noreply@dotmac.example",
                "email.ses.configuration-set", "transactional");
        SesMail mail = new SesMail(new Settings(key -> Optional.ofNullable(properties.get(key))), null);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            var exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(new EmailRequest(List.of("Ana <ana@example.com>"), "s", "c", null,
                    List.of("cc@example.com"), List.of("audit@example.com"), null, List.of()));
            exchange.getMessage().setHeader(NotificationHeaders.ID, "n-1");
            exchange.getMessage().setHeader("X-API-Key", "the caller's");

            mail.request(exchange);

            var message = exchange.getMessage();
            assertThat(message.getHeader(Ses2Constants.TO)).isEqualTo("ana@example.com,cc@example.com,audit@example.com");
            assertThat(message.getHeader(Ses2Constants.FROM)).isEqualTo("noreply@dotmac.example");
            assertThat(message.getHeader(Ses2Constants.TAGS)).isEqualTo(Map.of(SesMail.ID_TAG, "n-1"));
            assertThat(message.getHeader(Ses2Constants.CONFIGURATION_SET)).isEqualTo("transactional");
            assertThat(message.getHeaders()).doesNotContainKey("X-API-Key");
            MimeMessage mime = message.getBody(MimeMessage.class);
            assertThat(mime.getHeader("Bcc")).isNull();
            assertThat(mime.getHeader("Cc", null)).isEqualTo("cc@example.com");
        }
    }
}
