package org.dotmac.integrations.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Request bodies as text. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * All of a request body's bytes. The HTTP server hands over a body it has already read, so what is
     * available is usually all of it: read that much at once (readAllBytes allocates and clears 16 KiB
     * per call, a few percent of the accept path's CPU).
     */
    public static byte[] bytes(InputStream in) throws IOException {
        int available = in.available();
        if (available <= 0) {
            return in.readAllBytes();
        }
        byte[] first = in.readNBytes(available);
        int next = in.read();
        if (next < 0) {
            return first;
        }
        byte[] rest = in.readAllBytes();
        byte[] all = new byte[first.length + 1 + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        all[first.length] = (byte) next;
        System.arraycopy(rest, 0, all, first.length + 1, rest.length);
        return all;
    }

    /**
     * The bytes as UTF-8, refused when they are not: JSON parsers let overlong forms and encoded
     * surrogates through, which would reach a provider as text that is none.
     */
    public static String utf8(byte[] bytes) {
        return new String(requireUtf8(bytes), StandardCharsets.UTF_8);
    }

    /**
     * The bytes, once checked to be valid UTF-8 (Jackson lets overlong forms and encoded surrogates
     * through). Decoded in small pieces: decoding a 30 MB body at once held twice its size as chars.
     */
    public static byte[] requireUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new ProblemException(400, "Invalid request", "the request body is not valid UTF-8");
            }
            out.clear();
            if (result.isUnderflow()) {
                break;
            }
        }
        while (decoder.flush(out).isOverflow()) {
            out.clear();
        }
        return bytes;
    }
}
