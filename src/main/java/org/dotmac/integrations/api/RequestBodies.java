package org.dotmac.integrations.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProblemException(400, "Invalid request", "the request body is not valid UTF-8");
        }
    }
}
