package org.dotmac.integrations.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Request bodies as text. */
public final class RequestBodies {

    private RequestBodies() {
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
