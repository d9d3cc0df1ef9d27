package org.dotmac.integrations.support;

import java.net.URI;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3 API server (s3proxy over an in-memory blob store, or one on disk for objects larger than
 * the tests' heap) on loopback, with signed requests.
 */
public final class S3ProxyServer implements AfterAllCallback, AutoCloseable {

    public static final String ACCESS_KEY = "gateway-access-key";
    public static final String SECRET_KEY = TestSecrets.S3_SECRET_KEY;

    private final S3Proxy proxy;
    private final BlobStoreContext store;
    private final int port;

    private S3ProxyServer(java.nio.file.Path directory) throws Exception {
        port = TestGateway.freePort();
        Properties properties = new Properties();
        if (directory != null) {
            properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        }
        store = ContextBuilder.newBuilder(directory == null ? "transient" : "filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(store.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.onSpinWait();
        }
    }

    public static S3ProxyServer start() {
        return startIn(null);
    }

    /** Storing its objects as files under {@code directory}; close it when done. */
    public static S3ProxyServer onDisk(java.nio.file.Path directory) {
        return startIn(directory);
    }

    private static S3ProxyServer startIn(java.nio.file.Path directory) {
        try {
            return new S3ProxyServer(directory);
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
    }

    /** Creates a bucket behind the proxy, as an operator would before the gateway starts. */
    public void createBucket(String name) {
        store.getBlobStore().createContainerInLocation(null, name);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        store.close();
    }
}
