package org.dotmac.integrations.config;

import org.dotmac.integrations.core.ConfigurationProblemsException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.S3ProxyServer;
import org.dotmac.integrations.support.SendGridDouble;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TwilioDouble;
import org.dotmac.integrations.support.VaultDouble;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Credentials from Vault at the platform's paths: used by the providers and the API, rotated
 * without a restart while traffic runs, refused start-ups that name the path, and never logged.
 */
class VaultSecretsTest {

    static final String SENDGRID_KEY = TestSecrets.SENDGRID_API_KEY_FROM_VAULT;
    static final String SENDGRID_KEY_ROTATED = TestSecrets.SENDGRID_API_KEY_ROTATED;
    static final String TWILIO_TOKEN = TestSecrets.TWILIO_AUTH_TOKEN_FROM_VAULT;
    static final String API_KEY_ROTATED = TestSecrets.GATEWAY_API_KEY_ROTATED;

    static final String SMTP_PASSWORD = TestSecrets.SMTP_PASSWORD_FROM_VAULT;
    static final int SMTP_PORT = port();

    static final LogCapture logs = LogCapture.install();

    @RegisterExtension
    static final GreenMailExtension mail = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("gateway", SMTP_PASSWORD))
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final VaultDouble vault = VaultDouble.start();

    @RegisterExtension
    static final S3ProxyServer s3 = S3ProxyServer.start();

    @RegisterExtension
    static final SendGridDouble sendgrid = SendGridDouble.start();

    @RegisterExtension
    static final TwilioDouble twilio = TwilioDouble.start();

    static {
        vault.put("email/sendgrid", Map.of("api_key", SENDGRID_KEY));
        vault.put("sms/twilio", Map.of("username", TwilioDouble.ACCOUNT_SID, "password", TWILIO_TOKEN));
        vault.put("gateway/api-keys", Map.of("keys", TestSecrets.GATEWAY_API_KEY_UNUSED + "," + TestGateway.API_KEY));
    }

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(vaultSettings(Map.of()));

    @AfterAll
    static void noSecretIsInAnyLogLine() {
        logs.close();
        assertThat(logs.text()).contains("Read 4 secret(s) from Vault")
                .doesNotContain(SENDGRID_KEY).doesNotContain(SENDGRID_KEY_ROTATED).doesNotContain(TWILIO_TOKEN)
                .doesNotContain(VaultDouble.TOKEN).doesNotContain(API_KEY_ROTATED).doesNotContain(TestGateway.API_KEY)
                .doesNotContain(SMTP_PASSWORD).doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    static Map<String, String> vaultSettings(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>();
        settings.put("vault.addr", vault.address());
        settings.put("vault.token", VaultDouble.TOKEN);
        settings.put("vault.refresh-interval", "300ms");
        // empty: unset, so Vault's gateway/api-keys apply
        settings.put("gateway.api-keys", "");
        settings.put("email.provider", "sendgrid");
        settings.put("email.sendgrid.base-url", sendgrid.baseUrl());
        settings.put("sms.provider", "twilio");
        settings.put("sms.twilio.base-url", twilio.baseUrl());
        settings.put("sms.twilio.from", TwilioDouble.FROM);
        settings.putAll(more);
        return settings;
    }

    @Test
    void providersAndTheApiUseTheSecretsFromVault() throws Exception {
        HttpResponse<String> email = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");
        HttpResponse<String> sms = gateway.postJson("/api/v1/notifications/sms?wait=true",
                "{\"to\":\"+14155550100\",\"message\":\"m\"}");

        assertThat(email.statusCode()).as(email.body()).isEqualTo(200);
        assertThat(sms.statusCode()).as(sms.body()).isEqualTo(200);
        assertThat(sendgrid.requests().getLast().getHeader("Authorization")).isEqualTo("Bearer " + SENDGRID_KEY);
        assertThat(twilio.requests().getLast().getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((TwilioDouble.ACCOUNT_SID + ":" + TWILIO_TOKEN).getBytes(StandardCharsets.UTF_8)));
        for (String path : List.of("/api/v1/integrations", "/observe/health?data=true", "/observe/metrics")) {
            assertThat(gateway.get(path).body()).as(path).doesNotContain(SENDGRID_KEY).doesNotContain(TWILIO_TOKEN)
                    .doesNotContain(VaultDouble.TOKEN);
        }
    }

    @Test
    void aPropertyWinsOverVaultAndOnlyEnabledProvidersAreLookedUp() throws Exception {
        // mount "own" holds only the API keys: starting proves that neither the SendGrid key (set as a
        // property) nor Twilio's credentials (SMS disabled) were looked up
        vault.put("own", "gateway/api-keys", Map.of("keys", TestGateway.API_KEY));
        try (TestGateway own = TestGateway.perClass(vaultSettings(Map.of(
                "vault.mount", "own",
                "email.sendgrid.api-key", TestSecrets.SENDGRID_API_KEY_FROM_PROPERTY,
                // SendGrid's published verification key: set, so that no field of email/sendgrid is looked up
                "email.sendgrid.webhook-verification-key", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==",
                "features.sms-enabled", "false",
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()))).startNow()) {
            assertThat(own.postJson("/api/v1/notifications/email?wait=true",
                    "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}").statusCode()).isEqualTo(200);
            assertThat(sendgrid.requests().getLast().getHeader("Authorization")).isEqualTo("Bearer " + TestSecrets.SENDGRID_API_KEY_FROM_PROPERTY);
        }
        assertThat(vault.readsOf("own", "email/sendgrid")).isEmpty();
        assertThat(vault.readsOf("own", "sms/twilio")).isEmpty();
        assertThat(vault.readsOf("own", "gateway/api-keys")).isNotEmpty();
    }

    @Test
    void theWebhookVerificationKeyIsReadFromVaultWhereTheSecretHasItAndMayAppearLater() throws Exception {
        String key = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
        vault.put("hooks", "email/sendgrid", Map.of("api_key", SENDGRID_KEY, "webhook_verification_key", key));
        vault.put("hooks", "gateway/api-keys", Map.of("keys", TestGateway.API_KEY));
        try (TestGateway hooks = TestGateway.perClass(vaultSettings(Map.of("vault.mount", "hooks", "features.sms-enabled", "false",
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()))).startNow()) {
            assertThat(org.dotmac.integrations.core.Settings.of(hooks.gateway().context())
                    .get("email.sendgrid.webhook-verification-key")).hasValue(key);
        }
        // the class's gateway started from a secret without the field: the key is simply unset, until the
        // field appears in Vault and a refresh picks it up
        var settings = org.dotmac.integrations.core.Settings.of(gateway.gateway().context());
        assertThat(settings.get("email.sendgrid.webhook-verification-key")).isEmpty();
        vault.put("email/sendgrid", Map.of("api_key", SENDGRID_KEY, "webhook_verification_key", key));
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> settings.get("email.sendgrid.webhook-verification-key").orElse(""), key::equals);
        } finally {
            vault.put("email/sendgrid", Map.of("api_key", SENDGRID_KEY));
        }
    }

    @Test
    void startUpFailsNamingThePathAndFieldWhenVaultCannotGiveASecret() throws Exception {
        vault.put("email/no-field", Map.of("other", "x"));
        String wrongToken = TestSecrets.VAULT_TOKEN_WRONG;
        String unreachable = "http://127.0.0.1:" + TestGateway.freePort();

        assertThat(startFailure(Map.of("vault.token", wrongToken)))
                .contains("email.sendgrid.api-key (Vault secret/email/sendgrid field api_key): Vault refused the token")
                .contains("gateway.api-keys (Vault secret/gateway/api-keys field keys)")
                .doesNotContain(wrongToken);
        assertThat(startFailure(Map.of("vault.mount", "kv")))
                .contains("sms.twilio.account-sid (Vault kv/sms/twilio field username): no secret at this path");
        assertThat(startFailure(Map.of("vault.addr", unreachable)))
                .contains("email.sendgrid.api-key (Vault secret/email/sendgrid field api_key): Vault is unreachable");
        assertThat(startFailure(Map.of("vault.token", "", "vault.token-file", "/nonexistent/vault-token")))
                .contains("vault.token-file (VAULT_TOKEN_FILE)");
    }

    @Test
    void smtpCredentialsComeFromVaultWithTheTokenReadFromAFile(@TempDir Path dir) throws Exception {
        vault.put("email/smtp", Map.of("username", "gateway", "password", SMTP_PASSWORD));
        Path tokenFile = Files.writeString(dir.resolve("vault-token"), VaultDouble.TOKEN + "\n");
        try (TestGateway smtp = TestGateway.perClass(vaultSettings(Map.of(
                "vault.token", "",
                "vault.token-file", tokenFile.toString(),
                "email.provider", "smtp",
                "email.smtp.host", "127.0.0.1",
                "email.smtp.port", String.valueOf(SMTP_PORT),
                "features.sms-enabled", "false",
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()))).startNow()) {
            HttpResponse<String> response = smtp.postJson("/api/v1/notifications/email?wait=true",
                    "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        // GreenMail refuses a wrong password for a known user, so delivery proves the Vault credentials
        assertThat(mail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void camelsOwnVaultSettingsWorkToo() throws Exception {
        java.net.URI address = java.net.URI.create(vault.address());
        Map<String, String> settings = vaultSettings(Map.of(
                "camel.vault.hashicorp.host", address.getHost(),
                "camel.vault.hashicorp.port", String.valueOf(address.getPort()),
                "camel.vault.hashicorp.scheme", "http",
                "camel.vault.hashicorp.token", VaultDouble.TOKEN,
                "features.sms-enabled", "false",
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()));
        settings.put("vault.addr", "");
        settings.put("vault.token", "");
        try (TestGateway viaCamel = TestGateway.perClass(settings).startNow()) {
            assertThat(viaCamel.postJson("/api/v1/notifications/email?wait=true",
                    "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}").statusCode()).isEqualTo(200);
        }
        assertThat(sendgrid.requests().getLast().getHeader("Authorization")).startsWith("Bearer SG.from-vault.");
    }

    @Test
    void s3KeysComeFromVault() throws Exception {
        vault.put("storage/aws", Map.of("access_key", S3ProxyServer.ACCESS_KEY, "secret_key", S3ProxyServer.SECRET_KEY));
        try (TestGateway storage = TestGateway.perClass(vaultSettings(Map.of(
                "features.sms-enabled", "false",
                "storage.provider", "s3",
                "features.storage-s3-enabled", "true",
                "storage.bucket", "vault-objects",
                "storage.s3.endpoint", s3.endpoint(),
                "storage.s3.path-style", "true",
                "storage.s3.auto-create-bucket", "true",
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()))).startNow()) {
            var response = storage.send(storage.request("/api/v1/storage/objects/from-vault")
                    .header("X-API-Key", TestGateway.API_KEY).PUT(HttpRequest.BodyPublishers.ofString("x")).build());
            // s3proxy checks the signature: a 201 proves the keys from Vault
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        }
        assertThat(vault.readsOf("secret", "storage/aws")).isNotEmpty();
    }

    @Test
    void theIdempotencyStorePasswordCanBeAVaultPlaceholder(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("keys").toAbsolutePath();
        // the database exists with this user and password: no other password opens it
        DriverManager.getConnection(url, "keeper", TestSecrets.IDEMPOTENCY_DB_PASSWORD).close();
        vault.put("idempotency/jdbc", Map.of("password", TestSecrets.IDEMPOTENCY_DB_PASSWORD));
        try (TestGateway keyed = TestGateway.perClass(vaultSettings(Map.of(
                "idempotency.jdbc-url", url,
                "idempotency.jdbc-username", "keeper",
                "idempotency.jdbc-password", "{{hashicorp:secret:idempotency/jdbc#password}}",
                "features.sms-enabled", "false",
                "jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort()))).startNow()) {
            HttpResponse<String> first = sendKeyed(keyed, "vault-db-1");
            HttpResponse<String> repeat = sendKeyed(keyed, "vault-db-1");

            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        }
        assertThat(vault.readsOf("secret", "idempotency/jdbc")).isNotEmpty();
    }

    private static HttpResponse<String> sendKeyed(TestGateway gateway, String key) throws Exception {
        return gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}", Map.of("Idempotency-Key", key));
    }

    @Test
    void aMissingFieldFailsStartUpToo() throws Exception {
        vault.put("partial", "email/smtp", Map.of("username", "gateway"));
        vault.put("partial", "gateway/api-keys", Map.of("keys", TestGateway.API_KEY));

        assertThat(startFailure(Map.of("vault.mount", "partial", "features.sms-enabled", "false",
                "email.provider", "smtp", "email.smtp.host", "127.0.0.1")))
                .contains("email.smtp.password (Vault partial/email/smtp field password): the secret has no field password")
                .doesNotContain("email.smtp.username");
    }

    @Test
    void aRotatedProviderKeyAndApiKeyApplyWithoutRestartAndNoQueuedEmailIsLost() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(queueEmail(i));
        }
        try {
            rotate(ids);
        } finally {
            // the class's other tests see the secrets they were given
            vault.put("email/sendgrid", Map.of("api_key", SENDGRID_KEY));
            vault.put("gateway/api-keys", Map.of("keys", TestSecrets.GATEWAY_API_KEY_UNUSED + "," + TestGateway.API_KEY));
            await().atMost(Duration.ofSeconds(10)).until(() -> withKey(TestSecrets.GATEWAY_API_KEY_UNUSED) == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                assertThat(gateway.postJson("/api/v1/notifications/email?wait=true",
                        "{\"to\":\"ana@example.com\",\"subject\":\"restored\",\"content\":\"c\"}").statusCode()).isEqualTo(200);
                return ("Bearer " + SENDGRID_KEY).equals(sendgrid.requests().getLast().getHeader("Authorization"));
            });
        }
    }

    @Test
    void callsInFlightFinishWithTheSecretsTheyStartedWithWhileLaterOnesUseTheRotatedOnes() throws Exception {
        // the calls in flight are answered after 6 s, every other at once
        sendgrid.answerKey(SENDGRID_KEY, "in flight", aResponse().withStatus(202).withHeader("X-Message-Id", "sg-in-flight").withFixedDelay(6000));
        twilio.answerToken(TWILIO_TOKEN, "in+flight", TwilioDouble.created("SM" + "7".repeat(32), "queued").withFixedDelay(6000));
        int emailsBefore = sendgrid.requests().size();
        int smsBefore = twilio.requests().size();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<HttpResponse<String>> email = callers.submit(() -> gateway.postJson("/api/v1/notifications/email?wait=true",
                    "{\"to\":\"ana@example.com\",\"subject\":\"in flight\",\"content\":\"c\"}"));
            Future<HttpResponse<String>> sms = callers.submit(() -> gateway.postJson("/api/v1/notifications/sms?wait=true",
                    "{\"to\":\"+14155550100\",\"message\":\"in flight\"}"));
            await().atMost(Duration.ofSeconds(5)).until(() -> sendgrid.requests().size() > emailsBefore && twilio.requests().size() > smsBefore);

            vault.put("email/sendgrid", Map.of("api_key", SENDGRID_KEY_ROTATED));
            vault.put("sms/twilio", Map.of("username", TwilioDouble.ACCOUNT_SID, "password", TestSecrets.TWILIO_AUTH_TOKEN_ROTATED));
            // the next calls go with the rotated credentials once the refresh has read them
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                assertThat(gateway.postJson("/api/v1/notifications/email?wait=true",
                        "{\"to\":\"ana@example.com\",\"subject\":\"after rotation\",\"content\":\"c\"}").statusCode()).isEqualTo(200);
                return ("Bearer " + SENDGRID_KEY_ROTATED).equals(sendgrid.requests().stream()
                        .filter(r -> r.getBodyAsString().contains("after rotation")).toList().getLast().getHeader("Authorization"));
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true",
                        "{\"to\":\"+14155550100\",\"message\":\"after rotation\"}").statusCode()).isEqualTo(200);
                return TwilioDouble.authorization(TestSecrets.TWILIO_AUTH_TOKEN_ROTATED).equals(twilio.requests().stream()
                        .filter(r -> r.getBodyAsString().contains("after+rotation")).toList().getLast().getHeader("Authorization"));
            });
            assertThat(email.isDone() || sms.isDone()).as("the first calls are still waiting for their answers").isFalse();

            assertThat(email.get(15, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(sms.get(15, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(sendgrid.requests().stream().filter(r -> r.getBodyAsString().contains("in flight"))
                    .map(r -> r.getHeader("Authorization")).toList()).containsExactly("Bearer " + SENDGRID_KEY);
            assertThat(twilio.requests().stream().filter(r -> r.getBodyAsString().contains("in+flight"))
                    .map(r -> r.getHeader("Authorization")).toList()).containsExactly(TwilioDouble.authorization(TWILIO_TOKEN));
        } finally {
            callers.shutdownNow();
            vault.put("email/sendgrid", Map.of("api_key", SENDGRID_KEY));
            vault.put("sms/twilio", Map.of("username", TwilioDouble.ACCOUNT_SID, "password", TWILIO_TOKEN));
            sendgrid.accept();
            twilio.accept();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                assertThat(gateway.postJson("/api/v1/notifications/sms?wait=true", "{\"to\":\"+14155550100\",\"message\":\"restored\"}")
                        .statusCode()).isEqualTo(200);
                return TwilioDouble.authorization(TWILIO_TOKEN).equals(twilio.requests().getLast().getHeader("Authorization"))
                        && gateway.postJson("/api/v1/notifications/email?wait=true",
                                "{\"to\":\"ana@example.com\",\"subject\":\"restored\",\"content\":\"c\"}").statusCode() == 200
                        && ("Bearer " + SENDGRID_KEY).equals(sendgrid.requests().getLast().getHeader("Authorization"));
            });
        }
    }

    private void rotate(List<String> ids) throws Exception {
        vault.put("email/sendgrid", Map.of("api_key", SENDGRID_KEY_ROTATED));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ids.add(queueEmail(ids.size()));
            LoggedRequest last = sendgrid.requests().isEmpty() ? null : sendgrid.requests().getLast();
            return last != null && ("Bearer " + SENDGRID_KEY_ROTATED).equals(last.getHeader("Authorization"));
        });
        for (int i = 0; i < 20; i++) {
            ids.add(queueEmail(ids.size()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> delivered(id)));
        assertThat(sendgrid.requests().getLast().getHeader("Authorization")).isEqualTo("Bearer " + SENDGRID_KEY_ROTATED);

        vault.put("gateway/api-keys", Map.of("keys", API_KEY_ROTATED));
        await().atMost(Duration.ofSeconds(10)).until(() -> withKey(API_KEY_ROTATED) == 200);
        assertThat(withKey(TestGateway.API_KEY)).isEqualTo(401);
    }

    @Test
    void aRefreshThatFailsKeepsTheCurrentValues() throws Exception {
        try (LogCapture log = LogCapture.install()) {
            var sendgridFails = vault.fail("secret", "email/sendgrid", 503);
            var keysFail = vault.fail("secret", "gateway/api-keys", 503);
            try {
                int reads = vault.readsOf("secret", "email/sendgrid").size();
                // refreshes were tried and failed: the witness is Vault's own log and the gateway's warning
                await().atMost(Duration.ofSeconds(10)).until(() -> vault.readsOf("secret", "email/sendgrid").size() > reads + 1
                        && log.text().contains("Could not refresh email.sendgrid.api-key from Vault")
                        && log.text().contains("Could not refresh gateway.api-keys from Vault"));

                assertThat(withKey(TestGateway.API_KEY)).as("the API keys in force").isEqualTo(200);
                assertThat(withKey(null)).as("no key while Vault fails").isEqualTo(401);
                HttpResponse<String> email = gateway.postJson("/api/v1/notifications/email?wait=true",
                        "{\"to\":\"ana@example.com\",\"subject\":\"vault down\",\"content\":\"c\"}");
                assertThat(email.statusCode()).as(email.body()).isEqualTo(200);
                assertThat(sendgrid.requests().getLast().getHeader("Authorization")).isEqualTo("Bearer " + SENDGRID_KEY);
            } finally {
                vault.heal(sendgridFails);
                vault.heal(keysFail);
            }
        }
    }

    @Test
    void anUnsoundKeySetFromVaultIsRefusedAndTheLastSoundSetStaysInForce() throws Exception {
        String sound = TestSecrets.GATEWAY_API_KEY_UNUSED + "," + TestGateway.API_KEY;
        try (LogCapture log = LogCapture.install()) {
            for (String unsound : List.of(",", ",,", "short-key", TestGateway.API_KEY + ",", TestGateway.API_KEY + ",with space key 0123")) {
                double before = refusedKeySets();
                vault.put("gateway/api-keys", Map.of("keys", unsound));
                await().atMost(Duration.ofSeconds(10)).until(() -> refusedKeySets() > before);
                assertThat(withKey(null)).as("no key, after '" + unsound + "'").isEqualTo(401);
                assertThat(withKey("short-key")).isEqualTo(401);
                assertThat(withKey(TestGateway.API_KEY)).isEqualTo(200);
                JsonNode check = TestGateway.healthCheck(TestGateway.json(gateway.get("/observe/health?data=true").body()), "api-keys");
                assertThat(check.get("status").asText()).isEqualTo("DOWN");
                assertThat(check.at("/data/reason").asText()).isNotEmpty();
                assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(200);
            }
            assertThat(log.text()).contains("Refused the changed API keys (gateway.api-keys)").doesNotContain("short-key")
                    .doesNotContain("with space key");
        } finally {
            vault.put("gateway/api-keys", Map.of("keys", sound));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> TestGateway.healthCheck(
                TestGateway.json(gateway.get("/observe/health?data=true").body()), "api-keys").get("status").asText().equals("UP"));
        assertThat(withKey(TestSecrets.GATEWAY_API_KEY_UNUSED)).isEqualTo(200);
    }

    private static double refusedKeySets() throws Exception {
        var line = gateway.get("/observe/metrics").body().lines().filter(l -> l.startsWith("gateway_api_keys_refused_total")).findFirst();
        return line.map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    private static int port() {
        try {
            return TestGateway.freePort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String queueEmail(int n) throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email",
                "{\"to\":\"ana@example.com\",\"subject\":\"rotation " + n + "\",\"content\":\"c\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return TestGateway.json(response.body()).get("id").asText();
    }

    private static boolean delivered(String id) {
        try {
            return sendgrid.mailSendFor(id) != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static int withKey(String key) throws Exception {
        HttpRequest.Builder request = gateway.request("/api/v1/integrations");
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return gateway.send(request.GET().build()).statusCode();
    }

    private static String startFailure(Map<String, String> more) throws Exception {
        Map<String, String> settings = new HashMap<>(vaultSettings(more));
        settings.put("jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort());
        TestGateway failing = TestGateway.perClass(settings);
        Throwable thrown = catchThrowable(failing::startNow);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationProblemsException problems) {
                return problems.getMessage();
            }
        }
        throw new AssertionError("the gateway started, or failed otherwise: " + thrown);
    }
}
