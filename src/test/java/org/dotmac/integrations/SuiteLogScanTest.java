package org.dotmac.integrations;

import java.util.ArrayList;
import java.util.List;

import org.dotmac.integrations.support.SuiteLog;
import org.dotmac.integrations.support.TestSecrets;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs last: no secret the suite used appears in any log line the suite produced. */
@Order(Integer.MAX_VALUE)
class SuiteLogScanTest {

    @Test
    void noSecretValueAppearsInAnyLogLineOfTheWholeSuite() {
        assertThat(SuiteLog.installed()).as("support.SuiteLog registered as a launcher session listener").isTrue();
        String log = SuiteLog.text();
        int gatewayStarts = count(log, "Apache Camel ");
        assumeTrue(gatewayStarts > 0, "no gateway ran before this class in this session, so there is no log to scan");

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

    /** Each line that holds a secret, with the secret replaced by its constant's name. */
    private static List<String> findSecrets(String log) {
        List<String> findings = new ArrayList<>();
        TestSecrets.byName().forEach((name, secret) -> {
            for (String line : log.split("\n")) {
                if (line.contains(secret)) {
                    findings.add(name + ": " + line.replace(secret, "<" + name + ">").strip());
                }
            }
        });
        return findings;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
