package org.dotmac.integrations.email.ses;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.email.EmailProviderSuite;
import org.dotmac.integrations.email.MimeMessages;
import org.dotmac.integrations.support.MotoServer;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The email suite through SES's SendRawEmail to moto's SES, which refuses an unverified sender as SES does. */
class SesEmailTest extends EmailProviderSuite {

    static final String FROM = "noreply@dotmac.example";

    @RegisterExtension
    static final MotoServer moto = MotoServer.onFreePort();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "email.provider", "ses",
            "email.from-address", FROM,
            "email.ses.endpoint", moto.endpoint(),
            "email.ses.region", "eu-west-1",
            "email.ses.access-key", "gateway-access-key",
            "email.ses.secret-key", TestSecrets.SES_SECRET_KEY,
            // the outage test waits this long for a frozen SES
            "email.ses.read-timeout", "2000"));

    @BeforeEach
    void theSenderIsVerified() {
        verify(FROM);
    }

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected String provider() {
        return "ses";
    }

    @Override
    protected Delivered delivered(String id) throws Exception {
        JsonNode sent = sent(id);
        return sent == null ? null : delivered(mime(sent));
    }

    @Test
    void blindCopiesAreDestinationsButNoHeader() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"bcc\":\"audit@example.com\",\"subject\":\"s\",\"content\":\"c\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sent = sent(TestGateway.json(response.body()).get("id").asText());

        List<String> destinations = new ArrayList<>();
        sent.get("destinations").forEach(d -> destinations.add(d.asText()));
        assertThat(destinations).contains("ana@example.com", "audit@example.com");
        assertThat(sent.get("raw_data").asText()).doesNotContainIgnoringCase("Bcc:").doesNotContain("audit@example.com");
        assertThat(sent.get("source").asText()).isEqualTo(FROM);
        assertThat(TestGateway.json(response.body()).get("providerMessageId").asText()).isEqualTo(sent.get("id").asText());
    }

    @Test
    void anUnverifiedSenderIsOurConfigurationNotTheCallers() throws Exception {
        moto.reset();
        try {
            HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true",
                    "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(TestGateway.json(response.body()).get("detail").asText()).contains("not verified");
            assertThat(response.body()).doesNotContain(TestSecrets.SES_SECRET_KEY);
        } finally {
            verify(FROM);
        }
    }

    @Test
    void sesNotAnsweringIsA504AndAQueuedEmailIsDeliveredOnceItAnswersAgain() throws Exception {
        // frozen rather than killed: a restarted moto would have forgotten the verified sender
        moto.freeze();
        String id;
        try {
            HttpResponse<String> now = gateway.postJson("/api/v1/notifications/email?wait=true",
                    "{\"to\":\"ana@example.com\",\"subject\":\"s\",\"content\":\"c\"}");
            assertThat(now.statusCode()).as(now.body()).isEqualTo(504);
            assertThat(now.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            HttpResponse<String> queued = gateway.postJson("/api/v1/notifications/email",
                    "{\"to\":\"ana@example.com\",\"subject\":\"after the outage\",\"content\":\"c\"}");
            assertThat(queued.statusCode()).isEqualTo(202);
            id = TestGateway.json(queued.body()).get("id").asText();
        } finally {
            moto.thaw();
        }
        assertThat(await().atMost(java.time.Duration.ofSeconds(60)).until(() -> delivered(id), d -> d != null).subject())
                .isEqualTo("after the outage");
    }

    @Test
    void moreRecipientsThanSesTakesAre400NamingItsLimitAndNothingIsSent() throws Exception {
        StringBuilder to = new StringBuilder("[");
        for (int i = 0; i < SesMail.MAX_RECIPIENTS + 1; i++) {
            to.append(i == 0 ? "" : ",").append("\"r").append(i).append("@example.com\"");
        }
        int before = moto.data().at("/ses/RawMessage").size();

        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":" + to + "],\"subject\":\"many\",\"content\":\"c\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode problem = TestGateway.json(response.body());
        assertThat(problem.get("detail").asText()).contains("at most 50 recipients");
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("to");
        assertThat(moto.data().at("/ses/RawMessage").size()).isEqualTo(before);
    }

    @Test
    void aMessageLargerThanSesTakesIs413NamingItsLimitAndNothingIsSent() throws Exception {
        // 8 MB of attachment is about 10.8 MB once base64 encoded in the MIME message
        String attachment = java.util.Base64.getEncoder().encodeToString(new byte[8_000_000]);
        int before = moto.data().at("/ses/RawMessage").size();

        HttpResponse<String> response = gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"big\",\"content\":\"c\",\"attachments\":[{\"content\":\""
                        + attachment + "\",\"filename\":\"big.bin\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(TestGateway.json(response.body()).get("detail").asText()).contains("SES takes at most 10485760");
        assertThat(moto.data().at("/ses/RawMessage").size()).isEqualTo(before);
    }

    private static JsonNode sent(String id) throws Exception {
        for (JsonNode message : moto.data().at("/ses/RawMessage")) {
            if (message.get("raw_data").asText().contains(MimeMessages.ID_HEADER + ": " + id + "\r\n")) {
                return message;
            }
        }
        return null;
    }

    private static MimeMessage mime(JsonNode sent) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(sent.get("raw_data").asText().getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static void verify(String address) {
        try (SesClient ses = SesClient.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(moto.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            ses.verifyEmailIdentity(r -> r.emailAddress(address));
        }
    }
}
