package org.dotmac.integrations.storage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.dotmac.integrations.core.ProblemException;

/**
 * Object keys: any UTF-8 with {@code /} as separator, at most 1,024 bytes; no empty, {@code .} or
 * {@code ..} segment, no leading slash, no control character. Whatever a provider makes of a key,
 * such a key cannot name anything outside the store.
 */
public final class StorageKeys {

    static final int MAX_BYTES = 1024;

    private StorageKeys() {
    }

    /** The key in a request path, percent-decoded once (a '+' stays a '+'), then checked. */
    public static String fromPath(String encoded) {
        return check(decode(encoded));
    }

    public static String check(String key) {
        if (key == null || key.isEmpty()) {
            throw invalid("is empty: name an object after /api/v1/storage/objects/");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid("is longer than " + MAX_BYTES + " bytes of UTF-8");
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))) {
            throw invalid("contains a control character");
        }
        if (key.startsWith("/")) {
            throw invalid("must not start with '/' (an absolute path)");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw invalid("has an empty segment ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid("has a '" + segment + "' segment");
            }
        }
        return key;
    }

    /**
     * A listing prefix: what a key may start with. Its complete segments follow the key rules; the
     * last, partial one may be anything a segment may start with (a prefix "a/.." still finds "a/..b").
     */
    public static String checkPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return null;
        }
        try {
            int lastSlash = prefix.lastIndexOf('/');
            if (lastSlash == 0) {
                throw invalid("must not start with '/' (an absolute path)");
            }
            if (lastSlash > 0) {
                check(prefix.substring(0, lastSlash));
            }
            if (prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))) {
                throw invalid("contains a control character");
            }
            if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                throw invalid("is longer than " + MAX_BYTES + " bytes of UTF-8");
            }
        } catch (ProblemException e) {
            throw ProblemException.invalid("prefix", "cannot begin any key: " + e.errors().getFirst().message());
        }
        return prefix;
    }

    private static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw invalid("has a broken percent-encoding");
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw invalid("has a broken percent-encoding");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw invalid("is not valid UTF-8");
        }
    }

    private static ProblemException invalid(String message) {
        return ProblemException.invalid("key", message);
    }
}
