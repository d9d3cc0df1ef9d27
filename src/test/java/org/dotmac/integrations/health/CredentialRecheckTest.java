package org.dotmac.integrations.health;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.S3ProxyServer;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.dotmac.integrations.support.TwilioDouble;
import org.dotmac.integrations.support.VaultDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Credentials a provider refused are re-checked in the background with the provider's cheapest
 * authenticated call: once they are fixed in Vault the integration is READY again with no request
 * sent and no restart; a check that cannot tell (403) leaves it in ERROR; readiness never follows.
 */
class CredentialRecheckTest {

    @RegisterExtension
    static final VaultDouble vault = VaultDouble.start();

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TwilioDouble twilio = TwilioDouble.start();

    @RegisterExtension
    static final S3ProxyServer s3 = S3ProxyServer.start();

    @Test
    void refusedCredentialsFixedInVaultTurnEveryIntegrationReadyWithoutTraffic() throws Exception {
        vault.put("email/sendgrid", Map.of("api_key", TestSecrets.SENDGRID_API_KEY_REVOKED));
        vault.put("sms/twilio", Map.of("username", TwilioDouble.ACCOUNT_SID, "password", TestSecrets.TWILIO_AUTH_TOKEN_REVOKED));
        vault.put("storage/aws", Map.of("access_key", S3ProxyServer.ACCESS_KEY, "secret_key", TestSecrets.S3_SECRET_KEY_REVOKED));
        s3.createBucket("recheck-objects");
        sendgrid.requireKey(SendGridDouble.API_KEY);
        twilio.requireToken(TwilioDouble.AUTH_TOKEN);
        Map<String, String> settings = new HashMap<>(Map.of(
                "vault.addr", vault.address(), "vault.token", VaultDouble.TOKEN, "vault.refresh-interval", "200ms",
                "integrations.credential-recheck-interval", "200ms",
                "email.provider", "sendgrid", "email.sendgrid.base-url", sendgrid.baseUrl(),
                "sms.provider", "twilio", "sms.twilio.base-url", twilio.baseUrl(), "sms.twilio.from", TwilioDouble.FROM));
        settings.putAll(Map.of("storage.provider", "s3", "features.storage-s3-enabled", "true",
                "storage.bucket", "recheck-objects", "storage.s3.endpoint", s3.endpoint(), "storage.s3.path-style", "true"));
        try (LogCapture log = LogCapture.install(); TestGateway gateway = TestGateway.perClass(settings).startNow()) {
            assertThat(gateway.postJson("/api/v1/notifications/email?wait=true",
                    "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}").statusCode()).isEqualTo(502);
            assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true",
                    "{\"to\":\"+14155550100\",\"message\":\"m\"}").statusCode()).isEqualTo(502);
            assertThat(gateway.send(gateway.request("/api/v1/storage/objects/probe").header("X-API-Key", TestGateway.API_KEY)
                    .PUT(HttpRequest.BodyPublishers.ofString("x")).build()).statusCode()).isEqualTo(502);
            for (String integration : new String[] {"email", "sms", "storage"}) {
                await().atMost(Duration.ofSeconds(10)).until(() -> message(gateway, integration).contains("still refused"));
                assertThat(status(gateway, integration)).as(integration).isEqualTo("ERROR");
            }
            assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(200);
            assertThat(rechecks(gateway, "sms", "refused")).isPositive();

            // a check the key may not make cannot tell: the integration stays in ERROR
            sendgrid.answerScopes(403);
            await().atMost(Duration.ofSeconds(10)).until(() -> message(gateway, "email").contains("inconclusive"));
            assertThat(status(gateway, "email")).isEqualTo("ERROR");
            sendgrid.requireKey(SendGridDouble.API_KEY);

            int mailSends = sendgrid.requests().size();
            int smsSends = twilio.requests().size();
            vault.put("email/sendgrid", Map.of("api_key", SendGridDouble.API_KEY));
            vault.put("sms/twilio", Map.of("username", TwilioDouble.ACCOUNT_SID, "password", TwilioDouble.AUTH_TOKEN));
            vault.put("storage/aws", Map.of("access_key", S3ProxyServer.ACCESS_KEY, "secret_key", S3ProxyServer.SECRET_KEY));
            for (String integration : new String[] {"email", "sms", "storage"}) {
                await().atMost(Duration.ofSeconds(15)).until(() -> status(gateway, integration).equals("READY"));
            }
            assertThat(sendgrid.requests()).as("no email was sent to find out").hasSize(mailSends);
            assertThat(twilio.requests()).as("no SMS was sent to find out").hasSize(smsSends);
            assertThat(sendgrid.scopeRequests().getLast().getHeader("Authorization")).isEqualTo("Bearer " + SendGridDouble.API_KEY);
            assertThat(twilio.accountFetches()).isNotEmpty();
            assertThat(rechecks(gateway, "storage", "accepted")).isEqualTo(1.0);
            assertThat(log.text()).contains("email: sendgrid accepts the gateway's credentials again")
                    .doesNotContain(TestSecrets.SENDGRID_API_KEY_REVOKED).doesNotContain(TestSecrets.TWILIO_AUTH_TOKEN_REVOKED)
                    .doesNotContain(TestSecrets.S3_SECRET_KEY_REVOKED);
            assertThat(gateway.postJson("/api/v1/notifications/email?wait=true",
                    "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}").statusCode()).isEqualTo(200);
        }
    }

    private static JsonNode integration(TestGateway gateway, String name) throws Exception {
        return TestGateway.json(gateway.get("/api/v1/integrations/" + name).body());
    }

    private static String status(TestGateway gateway, String name) throws Exception {
        return integration(gateway, name).path("status").asText();
    }

    private static String message(TestGateway gateway, String name) throws Exception {
        return integration(gateway, name).path("message").asText();
    }

    private static double rechecks(TestGateway gateway, String integration, String verdict) throws Exception {
        return gateway.get("/observe/metrics").body().lines()
                .filter(l -> l.startsWith("gateway_credential_rechecks_total{") && l.contains("integration=\"" + integration + "\"")
                        && l.contains("verdict=\"" + verdict + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
