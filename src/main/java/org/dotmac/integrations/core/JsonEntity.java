package org.dotmac.integrations.core;

import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * A JSON request body written straight to the connection when the request is sent. A 29 MB email as
 * JSON text took its attachment's size four to five times over (the base64 text, the writer's chars,
 * the String, the bytes of the entity); written this way only the request object is held. The length is
 * counted by a first pass that writes nowhere, so the request still declares its Content-Length.
 */
public final class JsonEntity extends AbstractHttpEntity {

    private final ObjectMapper mapper;
    private final Object value;
    private long length = -1;

    public JsonEntity(ObjectMapper mapper, Object value) {
        super(ContentType.APPLICATION_JSON, null, false);
        this.mapper = mapper;
        this.value = value;
    }

    @Override
    public long getContentLength() {
        if (length < 0) {
            Counting counter = new Counting();
            try {
                mapper.writeValue(counter, value);
            } catch (IOException e) {
                throw new IllegalStateException("the request cannot be written as JSON", e);
            }
            length = counter.count;
        }
        return length;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        // Jackson closes the stream it writes to; the connection's stream is not ours to close
        mapper.writeValue(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        }, value);
    }

    /** For whoever asks for the body as a stream (not the HTTP client, which calls writeTo): one copy. */
    @Override
    public InputStream getContent() throws IOException {
        return new ByteArrayInputStream(mapper.writeValueAsBytes(value));
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
    }

    private static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
