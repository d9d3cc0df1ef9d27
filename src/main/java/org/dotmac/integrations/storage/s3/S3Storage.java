package org.dotmac.integrations.storage.s3;

import org.dotmac.integrations.storage.ByteRange;
import org.dotmac.integrations.storage.ObjectContent;
import org.dotmac.integrations.storage.ObjectInfo;
import org.dotmac.integrations.storage.ObjectPage;
import org.dotmac.integrations.storage.StorageRequest;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.apache.camel.support.SynchronizationAdapter;
import org.dotmac.integrations.core.CredentialCheck;
import org.dotmac.integrations.core.ProblemException;
import org.dotmac.integrations.core.ProviderException;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.core.HeaderScrub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The s3 provider's side of camel-aws2-s3: a storage request as the component's headers and body
 * (route storage-s3), and the component's answer as the provider-neutral result. Knowing whether an
 * object exists, and its size for a range, takes a HEAD first, as S3 does not say so on delete.
 */
public class S3Storage {

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    /** Which camel-aws2-s3 endpoint the route calls: the plain one, or the one that takes SDK requests. */
    public static final String ENDPOINT = "S3Endpoint";

    private final Settings settings;
    private final S3Client client;

    public S3Storage(Settings settings, S3Client client) {
        this.settings = settings;
        this.client = client;
    }

    /**
     * The upload as a file under the data dir's spool folder, deleted when the exchange is done. The
     * object's size limit still applies while it is written (the stream refuses to pass it).
     */
    private File spooled(Exchange exchange, InputStream content) {
        Path spool = Path.of(settings.get("gateway.data-dir", "./data"), "tmp", "spool");
        try (InputStream in = content) {
            Files.createDirectories(spool);
            Path file = Files.createTempFile(spool, "s3-upload-", ".part");
            Path written = file;
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    try {
                        Files.deleteIfExists(written);
                    } catch (IOException e) {
                        LOG.warn("Could not delete the spooled upload {}: {}", written, e.getMessage());
                    }
                }
            });
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file.toFile();
        } catch (IOException e) {
            LOG.warn("Could not spool an upload of unknown length to {}: {}", spool, e.getMessage());
            throw new ProblemException(503, "Service Unavailable",
                    "the upload could not be spooled to the gateway's disk; nothing was stored, repeat it later");
        }
    }

    public void request(Exchange exchange) {
        StorageRequest request = exchange.getMessage().getBody(StorageRequest.class);
        exchange.setProperty("storageRequest", request);
        Message out = exchange.getMessage();
        HeaderScrub.keepRedelivery(out);
        out.setHeader(ENDPOINT, "plain");
        switch (request.operation()) {
            case PUT -> {
                // no operation header: the component's default, an upload (multipart above the part size)
                out.setHeader(AWS2S3Constants.KEY, request.key());
                out.setHeader(AWS2S3Constants.CONTENT_TYPE,
                        request.contentType() == null ? "application/octet-stream" : request.contentType());
                out.setHeader(AWS2S3Constants.METADATA, request.metadata() == null ? Map.of() : request.metadata());
                if (request.length() >= 0) {
                    out.setHeader(AWS2S3Constants.CONTENT_LENGTH, request.length());
                    out.setBody(request.content());
                } else {
                    // the component reads a stream of unknown length into memory to learn it: spool it to a file
                    out.setBody(spooled(exchange, request.content()));
                }
            }
            case HEAD, DELETE -> {
                head(request.key());
                out.setHeader(AWS2S3Constants.S3_OPERATION, request.operation() == StorageRequest.Operation.HEAD
                        ? AWS2S3Operations.headObject.name() : AWS2S3Operations.deleteObject.name());
                out.setHeader(AWS2S3Constants.KEY, request.key());
            }
            case GET -> {
                HeadObjectResponse head = head(request.key());
                out.setHeader(AWS2S3Constants.KEY, request.key());
                var range = ByteRange.parse(request.range(), head.contentLength());
                if (range.isPresent()) {
                    out.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.getObjectRange.name());
                    out.setHeader(AWS2S3Constants.RANGE_START, range.get().offset());
                    out.setHeader(AWS2S3Constants.RANGE_END, range.get().offset() + range.get().length() - 1);
                    exchange.setProperty("storageRange", range.get());
                } else {
                    out.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.getObject.name());
                }
                exchange.setProperty("storageHead", head);
            }
            case LIST -> {
                out.setHeader(ENDPOINT, "pojo");
                out.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.listObjects.name());
                // the cursor is the last key of the previous page: S3's marker
                out.setBody(ListObjectsRequest.builder().bucket(bucket()).prefix(request.prefix())
                        .marker(request.cursor() == null ? null : ObjectPage.keyOf(request.cursor()))
                        .maxKeys(request.limit() + 1).build());
            }
            default -> throw new IllegalStateException(request.operation().name());
        }
    }

    @SuppressWarnings("unchecked")
    public Object result(Exchange exchange) {
        StorageRequest request = exchange.getProperty("storageRequest", StorageRequest.class);
        Message in = exchange.getMessage();
        Object body = in.getBody();
        return switch (request.operation()) {
            // what the store now holds, size and ETag as it computed them (a multipart ETag differs from an MD5)
            case PUT -> info(request.key(), head(request.key()));
            case HEAD -> info(request.key(), (HeadObjectResponse) body);
            case DELETE -> Boolean.TRUE;
            case GET -> {
                HeadObjectResponse head = exchange.getProperty("storageHead", HeadObjectResponse.class);
                ByteRange range = exchange.getProperty("storageRange", ByteRange.class);
                var stream = (ResponseInputStream<GetObjectResponse>) body;
                ObjectInfo info = info(request.key(), head);
                yield range == null ? new ObjectContent(info, stream, 0, info.size())
                        : new ObjectContent(info, stream, range.offset(), range.length());
            }
            case LIST -> {
                List<S3Object> objects = (List<S3Object>) body;
                List<ObjectInfo> page = new ArrayList<>();
                for (S3Object object : objects.subList(0, Math.min(request.limit(), objects.size()))) {
                    // S3 lists no content type: one HEAD per listed object gives it (a page costs limit + 1 calls)
                    String contentType = headIfPresent(object.key()).map(HeadObjectResponse::contentType).orElse(null);
                    page.add(new ObjectInfo(object.key(), object.size(), quoted(object.eTag()), object.lastModified(),
                            contentType, Map.of()));
                }
                String next = objects.size() > request.limit()
                        ? ObjectPage.cursorAfter(page.get(page.size() - 1).key()) : null;
                yield new ObjectPage(page, next);
            }
        };
    }

    /** What the component threw: absent objects are 404s, the rest the store's failures. */
    public void failure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        RuntimeException classified = S3Failures.classify(failure);
        if (!(failure instanceof ProblemException)) {
            LOG.warn("The object store failed: {}: {}", failure == null ? "unknown" : failure.getClass().getName(),
                    failure == null ? "" : failure.getMessage());
        }
        throw classified;
    }

    /**
     * The cheapest call that needs both the credentials and the bucket: a one-key listing. Refused
     * keys (InvalidAccessKeyId, SignatureDoesNotMatch) are refused; AccessDenied may be a policy that
     * allows objects but not listing, so it cannot tell.
     */
    public CredentialCheck.Outcome checkCredentials() {
        try {
            client.listObjectsV2(b -> b.bucket(settings.get("storage.bucket").orElseThrow()).maxKeys(1));
            return CredentialCheck.Outcome.accepted("a one-key listing succeeded");
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            return switch (String.valueOf(code)) {
                case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken" ->
                        CredentialCheck.Outcome.refused("the listing answered " + code);
                default -> CredentialCheck.Outcome.unknown(
                        "the listing answered " + e.statusCode() + " " + code);
            };
        }
    }

    private HeadObjectResponse head(String key) {
        try {
            return client.headObject(HeadObjectRequest.builder().bucket(bucket()).key(key).build());
        } catch (NoSuchKeyException e) {
            throw notFound(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && (e.awsErrorDetails() == null || !"NoSuchBucket".equals(e.awsErrorDetails().errorCode()))) {
                throw notFound(key);
            }
            throw S3Failures.classify(e);
        }
    }

    private java.util.Optional<HeadObjectResponse> headIfPresent(String key) {
        try {
            return java.util.Optional.of(head(key));
        } catch (ProblemException e) {
            return java.util.Optional.empty();
        }
    }

    private ObjectInfo info(String key, HeadObjectResponse head) {
        return new ObjectInfo(key, head.contentLength(), quoted(head.eTag()), head.lastModified(),
                head.contentType(), head.metadata());
    }

    private String bucket() {
        return settings.get("storage.bucket").orElseThrow();
    }

    private static String quoted(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    private static ProblemException notFound(String key) {
        return new ProblemException(404, "Not Found", "no object with key '" + key.replaceAll("\\p{Cntrl}", "?") + "'");
    }
}
