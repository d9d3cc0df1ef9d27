package org.dotmac.integrations.messaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker keeps at most jms.embedded.global-max-size bytes of messages in memory: a larger
 * backlog goes to page files under the data dir, and is delivered in full all the same.
 */
class BrokerPagingTest {

    private static final int MESSAGES = 300;

    @TempDir
    Path dataDir;

    @Test
    void pagesABacklogBeyondItsMemoryAndDeliversAllOfIt() throws Exception {
        Map<String, String> settings = Map.of("gateway.data-dir", dataDir.toString(), "jms.embedded.global-max-size", "65536");
        Map<String, String> acceptOnly = new HashMap<>(settings);
        acceptOnly.put("jms.consumers-enabled", "false");
        String content = "x".repeat(1000);

        Set<String> accepted = new HashSet<>();
        TestGateway accepting = TestGateway.perClass(acceptOnly).startNow();
        try {
            for (int i = 0; i < MESSAGES; i++) {
                var response = accepting.postJson("/api/v1/notifications/email",
                        "{\"to\":\"ana@example.com\",\"subject\":\"backlog " + i + "\",\"content\":\"" + content + "\"}");
                assertThat(response.statusCode()).isEqualTo(202);
                accepted.add(TestGateway.json(response.body()).get("id").asText());
            }
            // ~300 KB of messages against 64 KiB of memory: most of them are on page files
            try (var files = Files.walk(dataDir.resolve("broker/paging"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".page")).count()).as("page files").isPositive();
            }
        } finally {
            accepting.close();
        }

        TestGateway consuming = TestGateway.perClass(settings).startNow();
        try {
            Set<String> delivered = new HashSet<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (JsonNode message : consuming.outbox().get("messages")) {
                    delivered.add(message.get("id").asText());
                }
                return delivered.containsAll(accepted);
            });
            assertThat(delivered).containsAll(accepted);
        } finally {
            consuming.close();
        }
    }
}
