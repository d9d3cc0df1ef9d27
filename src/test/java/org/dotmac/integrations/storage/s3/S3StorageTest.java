package org.dotmac.integrations.storage.s3;

import org.dotmac.integrations.storage.StorageProviderSuite;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.dotmac.integrations.support.LogCapture;
import org.dotmac.integrations.support.S3ProxyServer;
import org.dotmac.integrations.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import static org.assertj.core.api.Assertions.assertThat;

/** The storage suite on the s3 provider against s3proxy, a real S3 API server. */
class S3StorageTest extends StorageProviderSuite {

    static final LogCapture logs = LogCapture.install();

    @RegisterExtension
    static final S3ProxyServer s3 = S3ProxyServer.start();

    static final Map<String, String> S3_SETTINGS = Map.of(
            "storage.provider", "s3",
            "features.storage-minio-enabled", "true",
            "storage.bucket", "gateway-objects",
            "storage.s3.endpoint", s3.endpoint(),
            "storage.s3.path-style", "true",
            "storage.s3.access-key", S3ProxyServer.ACCESS_KEY,
            "storage.s3.secret-key", S3ProxyServer.SECRET_KEY,
            "storage.s3.auto-create-bucket", "true",
            // small parts, so that the suite's larger objects go up as multipart uploads
            "storage.s3.part-size", String.valueOf(5 * 1024 * 1024),
            "storage.max-object-size", String.valueOf(StorageProviderSuite.MAX_OBJECT_SIZE));

    @RegisterExtension
    static final TestGateway gateway = TestGateway.perClass(S3_SETTINGS);

    @AfterAll
    static void theSecretKeyIsInNoLogLine() {
        logs.close();
        assertThat(logs.text()).contains("Apache Camel").doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    @Override
    protected TestGateway gateway() {
        return gateway;
    }

    /** s3proxy on disk: the in-memory store of the class's own would hold the object in the test's heap. */
    @Override
    protected ProcessStorage processStorage(Path work) throws Exception {
        java.nio.file.Files.createDirectories(work.resolve("blobs"));
        S3ProxyServer onDisk = S3ProxyServer.onDisk(work.resolve("blobs"));
        return new ProcessStorage(Map.of("STORAGE__PROVIDER", "s3", "FEATURES__STORAGE_MINIO_ENABLED", "true",
                "STORAGE__BUCKET", "streamed-objects", "STORAGE__S3__ENDPOINT", onDisk.endpoint(), "STORAGE__S3__PATH_STYLE", "true",
                "STORAGE__S3__ACCESS_KEY", S3ProxyServer.ACCESS_KEY, "STORAGE__S3__SECRET_KEY", S3ProxyServer.SECRET_KEY,
                "STORAGE__S3__AUTO_CREATE_BUCKET", "true",
                // each upload holds one part in memory: the smallest S3 allows, beside the test's small heap
                "STORAGE__S3__PART_SIZE", String.valueOf(5 * 1024 * 1024)), onDisk);
    }

    @Test
    void anUploadOverTheSizeLimitLeavesNoPartsBehind() throws Exception {
        try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build()) {
            // the listing shows an upload left open: without that, an empty listing would prove nothing
            String open = client.createMultipartUpload(r -> r.bucket("gateway-objects").key("control/open.bin")).uploadId();
            assertThat(client.listMultipartUploads(r -> r.bucket("gateway-objects")).uploads())
                    .extracting(MultipartUpload::key).contains("control/open.bin");
            client.abortMultipartUpload(r -> r.bucket("gateway-objects").key("control/open.bin").uploadId(open));

            // chunked, so the length is known only at the end: the gateway has sent three 5 MiB parts of a
            // multipart upload when the limit is crossed
            byte[] body = randomBytes(MAX_OBJECT_SIZE + 1, 7);
            var response = gateway.sendBytes(gateway.request("/api/v1/storage/objects/limit/aborted.bin")
                    .header("X-API-Key", TestGateway.API_KEY)
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
            assertThat(response.statusCode()).isEqualTo(413);

            assertThat(client.listMultipartUploads(r -> r.bucket("gateway-objects")).uploads())
                    .as("uploads left open").isEmpty();
        }
    }

    @Test
    void serverSideEncryptionIsAskedForWhenConfigured() throws Exception {
        List<LoggedRequest> sent = uploadedWithEncryption(Map.of("storage.s3.sse-s3", "true"), "secret".getBytes());

        var puts = sent.stream().filter(r -> RequestMethod.PUT.equals(r.getMethod())).toList();
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).getHeader("x-amz-server-side-encryption")).isEqualTo("AES256");
    }

    @Test
    void aMultipartUploadAsksForTheKmsKeyToo() throws Exception {
        // above storage.s3.part-size: a multipart upload, whose start asks for the encryption
        List<LoggedRequest> sent = uploadedWithEncryption(Map.of("storage.s3.sse-kms", "true",
                "storage.s3.sse-kms-key-id", "alias/gateway-objects"), randomBytes(6 * 1024 * 1024, 4));

        var creates = sent.stream().filter(r -> RequestMethod.POST.equals(r.getMethod()) && r.getUrl().contains("?uploads")).toList();
        assertThat(creates).hasSize(1);
        assertThat(creates.get(0).getHeader("x-amz-server-side-encryption")).isEqualTo("aws:kms");
        assertThat(creates.get(0).getHeader("x-amz-server-side-encryption-aws-kms-key-id")).isEqualTo("alias/gateway-objects");
    }

    /**
     * The requests a gateway with these encryption settings sent to the store while uploading
     * {@code sse/object}. A recording proxy in front of s3proxy shows them; s3proxy itself implements
     * no encryption and refuses with 501, which is the store's configuration problem: a 502 naming
     * the settings.
     */
    private List<LoggedRequest> uploadedWithEncryption(Map<String, String> encryption, byte[] body) throws Exception {
        WireMockServer recorder = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .preserveHostHeader(true));
        recorder.start();
        try {
            recorder.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().proxiedFrom(s3.endpoint())));
            Map<String, String> settings = new java.util.HashMap<>(S3_SETTINGS);
            settings.putAll(encryption);
            settings.put("storage.s3.endpoint", "http://127.0.0.1:" + recorder.port());
            settings.put("jms.broker-url", "tcp://127.0.0.1:" + gateway.brokerPort());
            try (TestGateway encrypting = TestGateway.perClass(settings).startNow()) {
                var response = encrypting.sendBytes(encrypting.request("/api/v1/storage/objects/sse/object")
                        .header("X-API-Key", TestGateway.API_KEY)
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build());
                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(new String(response.body())).contains("storage.s3.sse-s3");
            }
            return recorder.findAll(WireMock.anyRequestedFor(WireMock.urlPathEqualTo("/gateway-objects/sse/object")));
        } finally {
            recorder.stop();
        }
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
