package org.dotmac.integrations.sms.sns;

import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.sms.SmsProviderSuite;
import org.dotmac.integrations.support.MotoServer;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The SMS suite through SNS's Publish to moto's SNS, which checks E.164 numbers and message sizes as SNS does. */
class SnsSmsTest extends SmsProviderSuite {

    @RegisterExtension
    static final MotoServer moto = MotoServer.onFreePort();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "sms.provider", "sns",
            "sms.sns.endpoint", moto.endpoint(),
            "sms.sns.region", "eu-west-1",
            "sms.sns.access-key", "gateway-access-key",
            "sms.sns.secret-key", TestSecrets.SNS_SECRET_KEY,
            "sms.sns.sender-id", "DotMac"));

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected String provider() {
        return "sns";
    }

    @Override
    protected String providerStatus() {
        return null;
    }

    @Override
    protected Delivered delivered(String text) throws Exception {
        for (JsonNode sms : moto.data().at("/sns/SMS")) {
            if (sms.get("message").asText().equals(text)) {
                return new Delivered(sms.get("phone_number").asText(), text);
            }
        }
        return null;
    }

    @Test
    void snsUnreachableIsA503AndAQueuedSmsIsDeliveredOnceSnsIsBack() throws Exception {
        moto.stop();
        try {
            HttpResponse<String> now = gateway.postJson("/api/v1/notifications/sms?wait=true",
                    "{\"to\":\"" + TO + "\",\"message\":\"now\"}");
            assertThat(now.statusCode()).as(now.body()).isEqualTo(503);
            assertThat(gateway.postJson("/api/v1/notifications/sms",
                    "{\"to\":\"" + TO + "\",\"message\":\"after the outage\"}").statusCode()).isEqualTo(202);
        } finally {
            moto.start();
        }
        assertThat(awaitDelivered("after the outage")).isEqualTo(new Delivered(TO, "after the outage"));
    }

    @Test
    void snsMessageIdIsTheProviderMessageId() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/sms?wait=true",
                "{\"to\":\"" + TO + "\",\"message\":\"with an id\"}");
        JsonNode result = TestGateway.json(response.body());

        String published = null;
        for (JsonNode sms : moto.data().at("/sns/SMS")) {
            if (sms.get("message").asText().equals("with an id")) {
                published = sms.get("message_id").asText();
            }
        }
        assertThat(result.get("providerMessageId").asText()).isEqualTo(published);
    }

    @Test
    void aMessageOverSnssByteLimitIs400NamingTheFieldAndNothingIsSent() throws Exception {
        // 900 characters pass the gateway's own limit (1,600 characters) but are 1,800 bytes as UTF-8
        String text = "é".repeat(900);
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/sms?wait=true",
                "{\"to\":\"" + TO + "\",\"message\":\"" + text + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = TestGateway.json(response.body());
        assertThat(problem.get("detail").asText()).contains("SNS takes at most 1600 bytes");
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("message");
        assertThat(delivered(text)).isNull();
        assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true",
                "{\"to\":\"" + TO + "\",\"message\":\"" + "é".repeat(800) + "\"}").statusCode())
                .as("exactly 1600 bytes are taken").isEqualTo(200);
    }
}
