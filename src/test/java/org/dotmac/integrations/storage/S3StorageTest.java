package org.dotmac.integrations.storage;

import java.util.Map;

import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.S3ProxyServer;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The storage suite on the s3 provider against s3proxy, a real S3 API server. */
class S3StorageTest extends StorageProviderSuite {

    static final LogCapture logs = LogCapture.install();

    @RegisterExtension
    static final S3ProxyServer s3 = S3ProxyServer.start();

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(Map.of(
            "storage.provider", "s3",
            "features.storage-minio-enabled", "true",
            "storage.bucket", "gateway-objects",
            "storage.s3.endpoint", s3.endpoint(),
            "storage.s3.path-style", "true",
            "storage.s3.access-key", S3ProxyServer.ACCESS_KEY,
            "storage.s3.secret-key", S3ProxyServer.SECRET_KEY,
            "storage.s3.auto-create-bucket", "true",
            // small parts, so that the suite's larger objects go up as multipart uploads
            "storage.s3.part-size", String.valueOf(5 * 1024 * 1024)));

    @AfterAll
    static void theSecretKeyIsInNoLogLine() {
        logs.close();
        assertThat(logs.text()).contains("Apache Camel").doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    @Override
    TestGateway gateway() {
        return gateway;
    }

    @Test
    void anObjectLargerThanAPartGoesUpAsAMultipartUpload() throws Exception {
        byte[] body = randomBytes(12 * 1024 * 1024, 9);

        var created = put("big/multipart.bin", body, Map.of("Content-Type", "application/octet-stream"));
        assertThat(created.statusCode()).isEqualTo(201);
        // S3 marks a multipart ETag with the number of parts
        assertThat(created.headers().firstValue("ETag").orElseThrow()).endsWith("-3\"");
        assertThat(get("big/multipart.bin", Map.of()).body()).isEqualTo(body);
    }
}
