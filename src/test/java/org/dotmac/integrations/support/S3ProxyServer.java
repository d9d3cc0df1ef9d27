package org.dotmac.integrations.support;

import java.net.URI;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real S3 API server (s3proxy over an in-memory blob store) on loopback, with signed requests. */
public final class S3ProxyServer implements AfterAllCallback {

    public static final String ACCESS_KEY = "gateway-access-key";
    public static final String SECRET_KEY = TestSecrets.S3_SECRET_KEY;

    private final S3Proxy proxy;
    private final BlobStoreContext store;
    private final int port;

    private S3ProxyServer() throws Exception {
        port = TestGateway.freePort();
        store = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class);
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
        try {
            return new S3ProxyServer();
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
        proxy.stop();
        store.close();
    }
}
