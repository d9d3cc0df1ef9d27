package org.dotmac.integrations.health;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of the data dir, which holds the embedded broker's journal, the idempotency database and
 * local storage: an instance that cannot write there cannot keep what it accepts. DOWN when a small
 * file cannot be written there, or when less than {@code gateway.data-dir.min-free} is free.
 */
public class DataDirHealthCheck extends ReadinessHealthCheck {

    private final Path dataDir;
    private final long minFree;

    public DataDirHealthCheck(Path dataDir, long minFree) {
        super("gateway", "data-dir");
        this.dataDir = dataDir;
        this.minFree = minFree;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("path", dataDir.toAbsolutePath().toString());
        try {
            long free = Files.getFileStore(dataDir).getUsableSpace();
            builder.detail("free.bytes", free);
            builder.detail("min.free.bytes", minFree);
            if (free < minFree) {
                builder.message("the data dir has " + (free >> 20) + " MiB free, below gateway.data-dir.min-free ("
                        + (minFree >> 20) + " MiB)");
                builder.down();
                return;
            }
            Path probe = dataDir.resolve(".ready-probe");
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(new byte[] {'o', 'k'}));
                channel.force(false);
            } finally {
                Files.deleteIfExists(probe);
            }
            builder.up();
        } catch (IOException e) {
            builder.message("the data dir cannot be written (" + e.getClass().getSimpleName() + ")");
            builder.down();
        }
    }
}
