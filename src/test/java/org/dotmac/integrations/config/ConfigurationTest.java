package org.dotmac.integrations.config;

import org.dotmac.integrations.core.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.GatewayProcess;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Environment variables in both spellings, which one wins, and start-up validation, observed on a
 * real process: exit code, output and what the running gateway reports.
 */
class ConfigurationTest {

    @TempDir
    Path workDir;

    @Test
    void bothEnvironmentSpellingsConfigureTheGatewayAndCamelsWins() throws Exception {
        int httpPort = TestGateway.freePort();
        Path dataDir = workDir.resolve("state");
        Map<String, String> env = new HashMap<>();
        env.put("CAMEL_SERVER_PORT", String.valueOf(httpPort));
        env.put("JMS__EMBEDDED__PORT", String.valueOf(TestGateway.freePort()));
        env.put("GATEWAY__DATA_DIR", dataDir.toString());
        env.put("GATEWAY__API_KEYS", TestGateway.API_KEY);
        // platform spelling alone
        env.put("FEATURES__EMAIL_ENABLED", "false");
        env.put("NOTIFICATION__OUTBOX__CAPACITY", "2");
        // both spellings: Camel's wins
        env.put("FEATURES__SMS_ENABLED", "false");
        env.put("FEATURES_SMS_ENABLED", "true");

        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            gateway.awaitReady(httpPort);
            var client = java.net.http.HttpClient.newHttpClient();
            JsonNode email = get(client, httpPort, "/api/v1/integrations/email");
            JsonNode sms = get(client, httpPort, "/api/v1/integrations/sms");
            assertThat(email.get("status").asText()).isEqualTo("DISABLED");
            assertThat(sms.get("status").asText()).isEqualTo("READY");
            assertThat(get(client, httpPort, "/api/v1/outbox").get("capacity").asInt()).isEqualTo(2);
            assertThat(Files.isDirectory(dataDir.resolve("broker/journal"))).as("journal under GATEWAY__DATA_DIR").isTrue();
            assertThat(gateway.output()).doesNotContain(TestGateway.API_KEY);
        }
    }

    @Test
    void startupValidationListsEveryProblemAndExitsNonZero() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CAMEL_SERVER_PORT", String.valueOf(TestGateway.freePort()));
        env.put("JMS__EMBEDDED__PORT", String.valueOf(TestGateway.freePort()));
        env.put("GATEWAY__DATA_DIR", workDir.resolve("data").toString());
        env.put("EMAIL__PROVIDER", "carrier-pigeon");
        env.put("SMS__PROVIDER", "twilio");
        env.put("FEATURES__STORAGE_ENABLED", "yes");
        env.put("EMAIL__FROM_ADDRESS", "not an address");
        env.put("NOTIFICATION__OUTBOX__CAPACITY", "lots");
        env.put("JMS__EMBEDDED__GLOBAL_MAX_SIZE", "32MB");
        env.put("JMS__SESSION_CACHE_SIZE", "0");
        env.put("GATEWAY__API_KEYS", "short-secret");
        env.put("JMS__BROKER_URL", "http://admin:hunter2@broker");

        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            int exit = gateway.awaitExit(Duration.ofSeconds(60));
            String output = gateway.output();

            assertThat(exit).isNotZero();
            assertThat(output).contains("configuration problems")
                    .contains("email.provider (EMAIL__PROVIDER): 'carrier-pigeon' is not a provider of email; allowed: outbox, sendgrid, smtp")
                    .contains("sms.twilio.account-sid (SMS__TWILIO__ACCOUNT_SID): required")
                    .contains("features.storage-enabled (FEATURES__STORAGE_ENABLED): 'yes' is not a flag; allowed: true, false")
                    .contains("email.from-address (EMAIL__FROM_ADDRESS)")
                    .contains("notification.outbox.capacity (NOTIFICATION__OUTBOX__CAPACITY): 'lots' is not a whole number")
                    .contains("jms.embedded.global-max-size (JMS__EMBEDDED__GLOBAL_MAX_SIZE): '32MB' is not a whole number")
                    .contains("jms.session-cache-size (JMS__SESSION_CACHE_SIZE): '0' is out of range; allowed: 1 to 10000")
                    .contains("gateway.api-keys (GATEWAY__API_KEYS)")
                    .contains("jms.broker-url (JMS__BROKER_URL)");
            assertThat(output).as("secrets are never printed").doesNotContain("short-secret").doesNotContain("hunter2");
            assertThat(output).as("one message, no stack trace").doesNotContain("\tat org.");
            assertThat(Files.exists(workDir.resolve("data/broker"))).as("nothing started").isFalse();
        }
    }

    @Test
    void theStandardVaultVariablesTurnVaultOn() throws Exception {
        String token = TestSecrets.VAULT_TOKEN_FROM_PROCESS;
        Map<String, String> env = Map.of(
                "VAULT_ADDR", "http://127.0.0.1:" + TestGateway.freePort(),
                "VAULT_TOKEN", token,
                "EMAIL__PROVIDER", "sendgrid",
                "CAMEL_SERVER_PORT", String.valueOf(TestGateway.freePort()),
                "GATEWAY__DATA_DIR", workDir.resolve("data").toString());

        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(gateway.output())
                    .contains("email.sendgrid.api-key (Vault secret/email/sendgrid field api_key): Vault is unreachable")
                    .contains("gateway.api-keys (Vault secret/gateway/api-keys field keys): Vault is unreachable")
                    .doesNotContain(token);
        }
    }

    @Test
    void aProviderSwitchedOffByThePlatformCannotBeSelected() throws Exception {
        var settings = new Settings(key -> java.util.Optional.ofNullable(Map.of(
                "features.storage-enabled", "true",
                "storage.provider", "s3",
                "features.storage-s3-enabled", "false",
                "features.storage-minio-enabled", "false",
                "features.search-enabled", "true",
                "search.provider", "meilisearch").get(key)));

        assertThat(StartupValidator.problems(settings))
                .anySatisfy(p -> assertThat(p).startsWith("storage.provider (STORAGE__PROVIDER)")
                        .contains("FEATURES__STORAGE_S3_ENABLED=true or FEATURES__STORAGE_MINIO_ENABLED=true"))
                .anySatisfy(p -> assertThat(p).startsWith("search.provider (SEARCH__PROVIDER)")
                        .contains("FEATURES__SEARCH_MEILISEARCH_ENABLED=true"));
    }

    @Test
    void emailProvidersNeedTheirSettings() {
        var sendgrid = new Settings(key -> java.util.Optional.ofNullable(Map.of(
                "features.email-enabled", "true", "email.provider", "sendgrid", "email.from-address", "a@b.com",
                "email.sendgrid.base-url", "ftp://nope").get(key)));
        var smtp = new Settings(key -> java.util.Optional.ofNullable(Map.of(
                "features.email-enabled", "true", "email.provider", "smtp", "email.from-address", "a@b.com",
                "email.smtp.security", "ssl3", "email.smtp.username", "me", "email.smtp.port", "0").get(key)));

        assertThat(StartupValidator.problems(sendgrid))
                .anySatisfy(p -> assertThat(p).startsWith("email.sendgrid.api-key (EMAIL__SENDGRID__API_KEY): required"))
                .anySatisfy(p -> assertThat(p).startsWith("email.sendgrid.base-url (EMAIL__SENDGRID__BASE_URL)"));
        assertThat(StartupValidator.problems(smtp))
                .anySatisfy(p -> assertThat(p).startsWith("email.smtp.host (EMAIL__SMTP__HOST): required"))
                .anySatisfy(p -> assertThat(p).startsWith("email.smtp.security (EMAIL__SMTP__SECURITY): 'ssl3' is not a mode"))
                .anySatisfy(p -> assertThat(p).startsWith("email.smtp.password (EMAIL__SMTP__PASSWORD): required"))
                .anySatisfy(p -> assertThat(p).startsWith("email.smtp.port (EMAIL__SMTP__PORT)"));
    }

    @Test
    void theOutboxIsAFallbackInTheDevelopmentProfileOnly() {
        Map<String, String> base = Map.of("features.email-enabled", "true", "email.provider", "sendgrid",
                "email.sendgrid.api-key", "SG.key", "email.from-address", "a@b.com", "email.fallback-providers", "outbox");
        var production = new Settings(key -> java.util.Optional.ofNullable(base.get(key)));
        Map<String, String> dev = new java.util.HashMap<>(base);
        dev.put("gateway.profile", "development");
        var development = new Settings(key -> java.util.Optional.ofNullable(dev.get(key)));
        Map<String, String> odd = new java.util.HashMap<>(base);
        odd.put("gateway.profile", "staging");

        assertThat(StartupValidator.problems(production)).anySatisfy(p -> assertThat(p)
                .startsWith("email.fallback-providers (EMAIL__FALLBACK_PROVIDERS): the outbox delivers nothing")
                .contains("GATEWAY__PROFILE"));
        assertThat(StartupValidator.problems(development)).noneMatch(p -> p.startsWith("email.fallback-providers"));
        assertThat(StartupValidator.problems(new Settings(key -> java.util.Optional.ofNullable(odd.get(key)))))
                .anySatisfy(p -> assertThat(p).startsWith("gateway.profile (GATEWAY__PROFILE): must be production or development"));
        // the outbox as the provider itself stays allowed in production: the embedded defaults start
        var primary = new Settings(key -> java.util.Optional.ofNullable(Map.of("features.email-enabled", "true",
                "email.provider", "outbox", "email.from-address", "a@b.com").get(key)));
        assertThat(StartupValidator.problems(primary)).isEmpty();
    }

    @Test
    void theLeaseMustOutlastTheReadTimeoutOfEveryNotificationProviderInUse() {
        Map<String, String> base = new java.util.HashMap<>(Map.of("features.email-enabled", "true", "email.provider", "sendgrid",
                "email.sendgrid.api-key", "SG.key", "email.from-address", "a@b.com", "idempotency.lease", "20s",
                "email.sendgrid.read-timeout", "30000"));
        assertThat(StartupValidator.problems(new Settings(key -> java.util.Optional.ofNullable(base.get(key)))))
                .anySatisfy(p -> assertThat(p).startsWith("idempotency.lease (IDEMPOTENCY__LEASE): must be longer than "
                        + "email.sendgrid.read-timeout (30000 ms)"));
        base.put("email.sendgrid.read-timeout", "10000");
        // SMTP's default timeout (10 s) is no concern while SMTP is not in the chain
        base.put("email.smtp.timeout", "60000");
        assertThat(StartupValidator.problems(new Settings(key -> java.util.Optional.ofNullable(base.get(key)))))
                .noneMatch(p -> p.startsWith("idempotency.lease"));
        base.putAll(Map.of("email.fallback-providers", "smtp", "email.smtp.host", "127.0.0.1"));
        assertThat(StartupValidator.problems(new Settings(key -> java.util.Optional.ofNullable(base.get(key)))))
                .anySatisfy(p -> assertThat(p).contains("must be longer than email.smtp.timeout (60000 ms)"));
    }

    @Test
    void fallbackProvidersMustBeOtherAvailableProvidersWithTheirSettings() {
        var settings = new Settings(key -> java.util.Optional.ofNullable(Map.of(
                "features.email-enabled", "true", "email.provider", "outbox", "email.from-address", "a@b.com",
                "email.fallback-providers", "smtp,outbox,pigeon").get(key)));

        assertThat(StartupValidator.problems(settings))
                .anySatisfy(p -> assertThat(p).startsWith("email.fallback-providers (EMAIL__FALLBACK_PROVIDERS): 'outbox' is named twice"))
                .anySatisfy(p -> assertThat(p).startsWith("email.fallback-providers (EMAIL__FALLBACK_PROVIDERS): 'pigeon' is not a provider"))
                .anySatisfy(p -> assertThat(p).as("a fallback's own settings are required").startsWith("email.smtp.host"));
    }

    @Test
    void twilioNeedsAnAccountCredentialsAndASender() {
        var twilio = new Settings(key -> java.util.Optional.ofNullable(Map.of(
                "features.sms-enabled", "true", "sms.provider", "twilio", "sms.twilio.account-sid", "AC123",
                "sms.twilio.api-key-sid", "SK0123", "sms.twilio.from", "5550006").get(key)));

        assertThat(StartupValidator.problems(twilio))
                .anySatisfy(p -> assertThat(p).startsWith("sms.twilio.account-sid (SMS__TWILIO__ACCOUNT_SID): 'AC123' is not"))
                .anySatisfy(p -> assertThat(p).startsWith("sms.twilio.api-key-secret (SMS__TWILIO__API_KEY_SECRET): required"))
                .anySatisfy(p -> assertThat(p).startsWith("sms.twilio.from (SMS__TWILIO__FROM): '5550006' is not a phone number"));
    }

    @Test
    void withoutApiKeysTheApiListensOnLoopbackOnlyAndAsksForNoKey() throws Exception {
        int httpPort = TestGateway.freePort();
        Map<String, String> env = Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(httpPort),
                "JMS__EMBEDDED__PORT", String.valueOf(TestGateway.freePort()),
                "GATEWAY__DATA_DIR", workDir.resolve("data").toString());

        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            gateway.awaitReady(httpPort);
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort + "/api/v1/integrations")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(gateway.output()).contains("listens on 127.0.0.1 only");
            String listening = Files.readString(Path.of("/proc/net/tcp")) + Files.readString(Path.of("/proc/net/tcp6"));
            String portHex = String.format(":%04X ", httpPort);
            assertThat(listening.lines().filter(l -> l.contains(portHex) && l.trim().split("\\s+")[3].equals("0A")))
                    .as("listening sockets on the HTTP port").isNotEmpty()
                    .allSatisfy(l -> assertThat(l.trim().split("\\s+")[1]).as("bound to loopback")
                            .matches("0100007F:.*|0000000000000000FFFF00000100007F:.*"));
        }
    }

    @Test
    void refusesANonLoopbackHostWithoutApiKeys() throws Exception {
        Map<String, String> env = Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(TestGateway.freePort()),
                "CAMEL_SERVER_HOST", "0.0.0.0",
                "GATEWAY__DATA_DIR", workDir.resolve("data").toString());

        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(gateway.output()).contains("camel.server.host (CAMEL_SERVER_HOST)").contains("GATEWAY__API_KEYS");
        }
    }

    private static JsonNode get(java.net.http.HttpClient client, int port, String path) throws Exception {
        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", TestGateway.API_KEY).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return TestGateway.json(response.body());
    }
}
