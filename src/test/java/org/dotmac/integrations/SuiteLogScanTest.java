package org.dotmac.integrations;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.dotmac.integrations.support.SuiteLog;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs last: no secret the suite used appears in any log line the suite produced. */
@Order(Integer.MAX_VALUE)
class SuiteLogScanTest {

    @Test
    void noSecretValueAppearsInAnyLogLineOfTheWholeSuite() {
        assertThat(SuiteLog.installed()).as("support.SuiteLog registered as a launcher session listener").isTrue();
        String log = SuiteLog.text();
        int gatewayStarts = count(log, "Apache Camel ");
        assertThat(gatewayStarts).as("gateways that ran before this class in this session: it scans the whole suite's"
                + " log and proves nothing alone (run it with mvn verify)").isPositive();

        List<String> findings = findSecrets(log);

        System.out.printf("scanned %,d characters of the suite's log (%d lines from gateways starting and stopping) for %d secrets%n",
                log.length(), gatewayStarts, TestSecrets.byName().size());
        assertThat(findings).as("log lines that carry a secret (secret replaced by its name)").isEmpty();
    }

    @Test
    void theScanFindsASecretInALogLine() {
        String log = "INFO first line\nWARN call failed: Authorization: Bearer " + TestSecrets.SENDGRID_API_KEY + " refused\n";

        assertThat(findSecrets(log)).containsExactly(
                "SENDGRID_API_KEY: WARN call failed: Authorization: Bearer <SENDGRID_API_KEY> refused");
    }

    @Test
    void theScanFindsASecretEncodedOrInPart() {
        String secret = TestSecrets.TWILIO_AUTH_TOKEN;
        String basic = Base64.getEncoder().encodeToString(("AC0123:" + secret).getBytes(StandardCharsets.UTF_8));
        String log = "DEBUG Authorization: Basic " + basic + "\n"
                + "DEBUG GET /token?value=" + URLEncoder.encode(secret + "&", StandardCharsets.UTF_8) + "\n"
                + "WARN key " + secret.substring(0, secret.length() * 2 / 3 + 1) + "... refused\n"
                + "INFO nothing here\n";

        assertThat(findSecrets(log)).hasSize(3).allSatisfy(finding -> assertThat(finding).startsWith("TWILIO_AUTH_TOKEN"));
    }

    /**
     * Each line that holds a secret, with what was found replaced by the secret's constant's name: the
     * secret itself, URL-encoded, inside any base64 text (HTTP basic credentials "user:secret" among
     * them, whatever comes before it), or its first two thirds.
     */
    private static List<String> findSecrets(String log) {
        List<String> findings = new ArrayList<>();
        TestSecrets.byName().forEach((name, secret) -> {
            List<String> forms = forms(secret);
            for (String line : log.split("\n")) {
                for (String form : forms) {
                    if (line.contains(form)) {
                        findings.add(name + ": " + line.replace(form, "<" + name + ">").strip());
                        break;
                    }
                }
            }
        });
        return findings;
    }

    private static List<String> forms(String secret) {
        List<String> forms = new ArrayList<>(List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8)));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (int offset = 0; offset < 3; offset++) {
            // base64 of the secret after `offset` bytes (mod 3) of anything: the characters that depend on
            // the secret alone, without the first and last groups that its neighbours share
            byte[] shifted = new byte[offset + bytes.length];
            System.arraycopy(bytes, 0, shifted, offset, bytes.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            int from = offset == 0 ? 0 : 4;
            int to = encoded.length() - 4;
            if (to - from >= 12) {
                forms.add(encoded.substring(from, to));
            }
        }
        // the tests' secrets share their tails (0123456789abcdef, as in Twilio's account id): only the head tells
        int part = Math.max(10, secret.length() * 2 / 3);
        if (part < secret.length()) {
            forms.add(secret.substring(0, part));
        }
        return forms;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
