package org.dotmac.integrations.email.smtp;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.StartTlsSmtpServer;
import org.dotmac.integrations.support.TestGateway;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** How the gateway connects to a mail server: STARTTLS, implicit TLS, credentials, and a server that is not there. */
class SmtpConnectionTest {

    static final int SMTPS_PORT = port();
    static final String PASSWORD = TestSecrets.SMTP_PASSWORD;

    @RegisterExtension
    static final GreenMailExtension mail = new GreenMailExtension(new ServerSetup(SMTPS_PORT, "127.0.0.1", "smtps"))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("gateway", PASSWORD))
            .withPerMethodLifecycle(false);

    static final int PLAIN_PORT = port();

    @RegisterExtension
    static final GreenMailExtension plain = new GreenMailExtension(new ServerSetup(PLAIN_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    /** The servers live for the class: each test starts from empty mailboxes, whatever ran before it. */
    @BeforeEach
    void emptyMailboxes() throws Exception {
        mail.purgeEmailFromAllMailboxes();
        plain.purgeEmailFromAllMailboxes();
    }

    @Test
    void starttlsNeverFallsBackToClearText() throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("email.provider", "smtp");
        properties.put("email.smtp.host", "127.0.0.1");
        properties.put("email.smtp.port", String.valueOf(PLAIN_PORT));
        properties.put("email.smtp.security", "starttls");
        try (TestGateway gateway = TestGateway.perClass(properties).startNow()) {
            HttpResponse<String> response = send(gateway);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
            assertThat(response.body()).contains("STARTTLS");
            assertThat(plain.getReceivedMessages()).as("nothing sent in clear text").isEmpty();
        }
    }

    @Test
    void sendsOverStartTlsWithTheCredentialsOnlyInsideTls() throws Exception {
        try (StartTlsSmtpServer server = StartTlsSmtpServer.start()) {
            try (TestGateway gateway = smtpGateway("starttls", PASSWORD, server.port())) {
                HttpResponse<String> response = send(gateway);

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
            assertThat(server.received()).hasSize(1);
            StartTlsSmtpServer.Received message = server.received().get(0);
            assertThat(message.overTls()).as("sent after STARTTLS").isTrue();
            // the server offers AUTH only inside TLS: the credentials went nowhere else
            assertThat(message.credentials() != null && message.credentials().endsWith("\0gateway\0" + PASSWORD))
                    .as("AUTH PLAIN with the configured username and password").isTrue();
            assertThat(message.data()).contains("Subject: TLS").contains("Hello");
        }
    }

    @Test
    void aPermanentRefusalIsA400AndATemporaryOneATransient503() throws Exception {
        try (StartTlsSmtpServer server = StartTlsSmtpServer.start();
             TestGateway gateway = smtpGateway("starttls", PASSWORD, server.port())) {
            server.answerRecipients("550 5.1.1 no such user here");
            HttpResponse<String> refused = send(gateway);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);

            server.answerRecipients("451 4.3.0 try again later");
            HttpResponse<String> later = send(gateway);
            assertThat(later.statusCode()).as(later.body()).isEqualTo(503);
            assertThat(server.received()).as("nothing was sent").isEmpty();
        }
    }

    @Test
    void sendsOverImplicitTlsWithCredentials() throws Exception {
        try (TestGateway gateway = smtpGateway("tls", PASSWORD, SMTPS_PORT)) {
            HttpResponse<String> response = send(gateway);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(mail.getReceivedMessages()).hasSize(1);
        }
    }

    @Test
    void refusedCredentialsAreA502AndEmailIsInError() throws Exception {
        String wrong = TestSecrets.SMTP_PASSWORD_WRONG;
        try (LogCapture logs = LogCapture.install(); TestGateway gateway = smtpGateway("tls", wrong, SMTPS_PORT)) {
            HttpResponse<String> response = send(gateway);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
            assertThat(response.body()).contains("email.smtp.username").doesNotContain(wrong);
            JsonNode email = TestGateway.json(gateway.get("/api/v1/integrations/email").body());
            assertThat(email.get("status").asText()).isEqualTo("ERROR");
            assertThat(logs.text()).doesNotContain(wrong);
        }
    }

    @Test
    void anUnreachableServerIsATransient503() throws Exception {
        try (TestGateway gateway = smtpGateway("tls", PASSWORD, TestGateway.freePort())) {
            HttpResponse<String> response = send(gateway);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.body()).contains("could not be reached");
        }
    }

    private static TestGateway smtpGateway(String security, String password, int port) throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("email.provider", "smtp");
        properties.put("email.smtp.host", "127.0.0.1");
        properties.put("email.smtp.port", String.valueOf(port));
        properties.put("email.smtp.security", security);
        // GreenMail's certificate (also the STARTTLS server's) is self-signed and names no host
        properties.put("email.smtp.ssl-trust", "127.0.0.1");
        properties.put("email.smtp.check-server-identity", "false");
        properties.put("email.smtp.username", "gateway");
        properties.put("email.smtp.password", password);
        properties.put("email.smtp.timeout", "3000");
        return TestGateway.perClass(properties).startNow();
    }

    private static HttpResponse<String> send(TestGateway gateway) throws Exception {
        return gateway.postJson("/api/v1/notifications/email?wait=true",
                "{\"to\":\"ana@example.com\",\"subject\":\"TLS\",\"content\":\"Hello\"}");
    }

    private static int port() {
        try {
            return TestGateway.freePort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
