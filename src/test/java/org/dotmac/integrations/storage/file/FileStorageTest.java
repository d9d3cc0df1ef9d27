package org.dotmac.integrations.storage.file;

import org.dotmac.integrations.storage.StorageProviderSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The storage suite on the file provider, and what it writes on disk. */
class FileStorageTest extends StorageProviderSuite {

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of("storage.provider", "file",
            "storage.max-object-size", String.valueOf(StorageProviderSuite.MAX_OBJECT_SIZE)));

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    @Override
    protected ProcessStorage processStorage(Path work) {
        return new ProcessStorage(Map.of("STORAGE__PROVIDER", "file"), () -> { });
    }

    @Test
    void nothingIsWrittenOutsideTheStorageFolder() throws Exception {
        put("a/%252e%252e/%252e%252e/%252e%252e/outside", "x".getBytes(), Map.of());
        put("..%2F..%2Foutside", "x".getBytes(), Map.of());

        Path data = gateway.dataDir();
        try (Stream<Path> files = Files.walk(data)) {
            List<Path> outside = files.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(data.resolve("storage")) && !p.startsWith(data.resolve("broker"))
                            && !p.startsWith(data.resolve("tmp")) && !p.startsWith(data.resolve("idempotency")))
                    .toList();
            assertThat(outside).isEmpty();
        }
        try (Stream<Path> files = Files.walk(data.getParent(), 1)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("outside");
        }
    }
}
