package org.dotmac.integrations.sms.sns;

import java.util.Map;
import java.util.Optional;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.notification.NotificationHeaders;
import org.dotmac.integrations.sms.SmsRequest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.PublishRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** What SNS is asked to publish: moto does not show message attributes, so they are read here. */
class SnsSmsRequestTest {

    private static PublishRequest prepared(Map<String, String> properties) throws Exception {
        SnsSms sms = new SnsSms(new Settings(key -> Optional.ofNullable(properties.get(key))), null);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            var exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(new SmsRequest("+14155550100", "Your code is 1234"));
            exchange.getMessage().setHeader(NotificationHeaders.ID, "n-1");
            exchange.getMessage().setHeader("X-API-Key", "the caller's");
            sms.request(exchange);
            assertThat(exchange.getMessage().getHeaders()).as("only the gateway's own headers go on")
                    .containsOnlyKeys(NotificationHeaders.ID);
            return exchange.getMessage().getBody(PublishRequest.class);
        }
    }

    @Test
    void aTransactionalMessageToTheNumberUnlessConfiguredOtherwise() throws Exception {
        PublishRequest request = prepared(Map.of());

        assertThat(request.phoneNumber()).isEqualTo("+14155550100");
        assertThat(request.message()).isEqualTo("Your code is 1234");
        assertThat(request.topicArn()).isNull();
        assertThat(request.messageAttributes()).containsOnlyKeys(SnsSms.SMS_TYPE);
        assertThat(request.messageAttributes().get(SnsSms.SMS_TYPE).stringValue()).isEqualTo("Transactional");
    }

    @Test
    void theSenderIdOriginationNumberAndTypeAreAttributes() throws Exception {
        PublishRequest request = prepared(Map.of("sms.sns.sender-id", "DotMac", "sms.sns.origination-number", "+15005550006",
                "sms.sns.sms-type", "Promotional"));

        assertThat(request.messageAttributes().get(SnsSms.SENDER_ID).stringValue()).isEqualTo("DotMac");
        assertThat(request.messageAttributes().get(SnsSms.ORIGINATION_NUMBER).stringValue()).isEqualTo("+15005550006");
        assertThat(request.messageAttributes().get(SnsSms.SMS_TYPE).stringValue()).isEqualTo("Promotional");
        assertThat(request.messageAttributes().values()).allSatisfy(v -> assertThat(v.dataType()).isEqualTo("String"));
    }
}
