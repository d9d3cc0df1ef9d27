package org.dotmac.integrations.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's own API keys. Only digests are kept, and a presented key is compared with every
 * one of them in constant time, so neither timing nor a heap dump gives a key away.
 */
public final class ApiKeys {

    public static final int MIN_LENGTH = 16;
    private static final ApiKeys NONE_MATCH = new ApiKeys(List.of(), true);

    private final List<byte[]> digests;
    private final boolean configured;

    private ApiKeys(List<byte[]> digests, boolean configured) {
        this.digests = digests;
        this.configured = configured;
    }

    /** The keys of a comma-separated list that {@link #problem} found sound; empty or null: no keys. */
    public ApiKeys(String commaSeparated) {
        this(commaSeparated == null ? List.of()
                : Arrays.stream(commaSeparated.split(","))
                        .map(String::trim)
                        .filter(k -> !k.isEmpty())
                        .map(ApiKeys::digest)
                        .toList(), false);
    }

    /** A key set that asks for a key and accepts none: what is in force when no sound set ever was. */
    public static ApiKeys noneMatch() {
        return NONE_MATCH;
    }

    /**
     * What is wrong with a comma-separated key list, in words that never repeat a key; empty when every
     * entry is a key of at least {@value #MIN_LENGTH} printable characters without spaces.
     */
    public static Optional<String> problem(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return Optional.of("it holds no key");
        }
        for (String entry : commaSeparated.split(",", -1)) {
            String key = entry.trim();
            if (key.isEmpty()) {
                return Optional.of("it has an empty entry (two commas in a row, or one at an end)");
            }
            if (key.length() < MIN_LENGTH) {
                return Optional.of("every key must have at least " + MIN_LENGTH + " characters (a key is too short; it is not shown)");
            }
            if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                return Optional.of("a key holds a space, a control or a non-ASCII character (it is not shown)");
            }
        }
        return Optional.empty();
    }

    public boolean isConfigured() {
        return configured || !digests.isEmpty();
    }

    public int size() {
        return digests.size();
    }

    public boolean matches(String presented) {
        return callerOf(presented) != null;
    }

    /**
     * The caller a presented key identifies: {@code key-} and the first 8 hex digits of the key's
     * SHA-256 (stable across restarts and instances, and no secret); null when no key matches.
     */
    public String callerOf(String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        byte[] candidate = digest(presented);
        boolean match = false;
        for (byte[] known : digests) {
            // no early exit: the time taken does not say which key, or how much of one, matched
            match |= MessageDigest.isEqual(known, candidate);
        }
        return match ? "key-" + java.util.HexFormat.of().formatHex(candidate, 0, 4) : null;
    }

    static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
