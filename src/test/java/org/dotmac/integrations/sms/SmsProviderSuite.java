package org.dotmac.integrations.sms;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.notification.NotificationResult;
import org.dotmac.integrations.sms.SmsRequest;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One behaviour for every SMS provider, through the REST, JMS and direct doors: what a caller sends is
 * what the provider receives. Each provider's test class says how to read what it received.
 */
public abstract class SmsProviderSuite {

    protected static final String TO = "+14155550100";

    /** What a provider received: the number and the text. */
    public record Delivered(String to, String text) {
    }

    protected abstract TestGateway gateway();

    protected abstract String provider();

    /** The message the provider received with this text, or null while none has arrived. */
    protected abstract Delivered delivered(String text) throws Exception;

    /** The provider's own status in a synchronous answer (Twilio's, e.g. queued), or null where it gives none (SNS). */
    protected abstract String providerStatus();

    @Test
    protected void restQueuesAnSmsAndTheProviderReceivesIt() throws Exception {
        String text = unique("Your code is");
        HttpResponse<String> response = gateway().postJson("/api/v1/notifications/sms",
                "{\"to\":\"" + TO + "\",\"message\":\"" + text + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(awaitDelivered(text)).isEqualTo(new Delivered(TO, text));
    }

    @Test
    protected void restWithWaitAnswersTheProvidersResult() throws Exception {
        String text = unique("Now");
        HttpResponse<String> response = gateway().postJson("/api/v1/notifications/sms?wait=true",
                "{\"to\":\"" + TO + "\",\"message\":\"" + text + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = TestGateway.json(response.body());
        assertThat(result.get("provider").asText()).isEqualTo(provider());
        assertThat(result.get("status").asText()).as("the gateway's status").isEqualTo("sent");
        assertThat(result.path("providerStatus").asText(null)).isEqualTo(providerStatus());
        assertThat(result.get("providerMessageId").asText()).isNotBlank();
        assertThat(delivered(text)).isEqualTo(new Delivered(TO, text));
    }

    @Test
    protected void jmsSendsTheSmsAndRepliesWithTheResult() throws Exception {
        String text = unique("Via JMS");
        JsonNode result = TestGateway.json(gateway().requestJms("integrations.sms",
                "{\"to\":\"" + TO + "\",\"message\":\"" + text + "\"}"));

        assertThat(result.get("provider").asText()).isEqualTo(provider());
        assertThat(delivered(text)).isEqualTo(new Delivered(TO, text));
    }

    @Test
    protected void theDirectDoorAnswersTheProvidersResult() throws Exception {
        String text = unique("In process");
        Object result = gateway().direct("direct:sms-send", new SmsRequest(TO, text));

        assertThat(((NotificationResult) result).provider()).isEqualTo(provider());
        assertThat(delivered(text)).isEqualTo(new Delivered(TO, text));
    }

    @Test
    protected void genericNotificationArrivesAsAnSms() throws Exception {
        String text = unique("Generic");
        JsonNode result = TestGateway.json(gateway().postJson("/api/v1/notifications?wait=true",
                "{\"type\":\"sms\",\"recipient\":\"" + TO + "\",\"message\":\"" + text + "\"}").body());

        assertThat(result.get("provider").asText()).isEqualTo(provider());
        assertThat(delivered(text)).isEqualTo(new Delivered(TO, text));
    }

    @Test
    protected void aNumberNotInE164FormIsRefusedBeforeAnyProvider() throws Exception {
        String text = unique("Nowhere");
        HttpResponse<String> response = gateway().postJson("/api/v1/notifications/sms?wait=true",
                "{\"to\":\"4155550100\",\"message\":\"" + text + "\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(response.body()).get("errors").findValuesAsText("field")).containsExactly("to");
        assertThat(delivered(text)).isNull();
    }

    protected Delivered awaitDelivered(String text) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> delivered(text), d -> d != null);
    }

    private static String unique(String text) {
        return text + " " + UUID.randomUUID().toString().substring(0, 8);
    }
}
