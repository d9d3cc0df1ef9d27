package org.dotmac.integrations.health;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A data dir that fills up takes the instance out of readiness (it could not keep what it accepts)
 * and back in once space is freed; liveness never follows. The data dir is a real, small tmpfs that
 * the test fills to the last byte.
 */
class DataDirReadinessTest {

    @Test
    void aFullDataDirTakesTheInstanceOutOfReadinessUntilSpaceIsFreed(@TempDir Path parent) throws Exception {
        Path dir = Files.createDirectories(parent.resolve("data"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=128m", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes()).trim();
        if (mount.waitFor() != 0) {
            System.out.println("SKIPPED DataDirReadinessTest: a tmpfs cannot be mounted here (" + why + ")");
            Assumptions.abort("a tmpfs cannot be mounted here: " + why);
        }
        try {
            try (TestGateway gateway = TestGateway.perClass(Map.of("gateway.data-dir", dir.toString(),
                    "gateway.data-dir.min-free", String.valueOf(32L << 20))).startNow()) {
                assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(200);

                Path filler = dir.resolve("filler");
                fill(filler, Files.getFileStore(dir).getUsableSpace() - (16L << 20));
                assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(503);
                JsonNode check = TestGateway.healthCheck(TestGateway.json(gateway.get("/observe/health?data=true").body()), "data-dir");
                assertThat(check.get("status").asText()).isEqualTo("DOWN");
                assertThat(check.get("message").asText()).contains("below gateway.data-dir.min-free");
                assertThat(gateway.get("/observe/health/live").statusCode()).isEqualTo(200);

                fill(dir.resolve("filler-2"), Long.MAX_VALUE);
                assertThat(Files.getFileStore(dir).getUsableSpace()).isLessThan(1L << 20);
                assertThat(gateway.get("/observe/health/ready").statusCode()).isEqualTo(503);

                Files.delete(dir.resolve("filler-2"));
                Files.delete(filler);
                await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/observe/health/ready").statusCode() == 200);
                var accepted = gateway.postJson("/api/v1/notifications/email",
                        "{\"to\":\"ana@example.com\",\"subject\":\"after the disk was freed\",\"content\":\"c\"}");
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            }
        } finally {
            new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor();
        }
    }

    /** Writes up to {@code bytes}, or until the file system is full. */
    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (written < bytes) {
                int n = (int) Math.min(block.length, bytes - written);
                out.write(block, 0, n);
                written += n;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("space")) {
                throw full;
            }
        }
    }
}
