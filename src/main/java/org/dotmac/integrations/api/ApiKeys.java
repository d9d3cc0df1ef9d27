package org.dotmac.integrations.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The gateway's own API keys. Only digests are kept, and a presented key is compared with every
 * one of them in constant time, so neither timing nor a heap dump gives a key away.
 */
public final class ApiKeys {

    private final List<byte[]> digests;

    public ApiKeys(String commaSeparated) {
        this.digests = commaSeparated == null ? List.of()
                : Arrays.stream(commaSeparated.split(","))
                        .map(String::trim)
                        .filter(k -> !k.isEmpty())
                        .map(ApiKeys::digest)
                        .toList();
    }

    public boolean isConfigured() {
        return !digests.isEmpty();
    }

    public boolean matches(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] candidate = digest(presented);
        boolean match = false;
        for (byte[] known : digests) {
            // no early exit: the time taken does not say which key, or how much of one, matched
            match |= MessageDigest.isEqual(known, candidate);
        }
        return match;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
