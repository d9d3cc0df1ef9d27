package org.dotmac.integrations.storage;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dotmac.integrations.core.ProblemException;

/** One range of {@code Range: bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} (RFC 9110). */
public record ByteRange(long offset, long length) {

    private static final Pattern SINGLE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    /** Empty for no header or one this API does not serve (several ranges): the whole object is sent. */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        long first;
        long last;
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            }
        } catch (NumberFormatException e) {
            // beyond any object's size
            first = Long.MAX_VALUE;
            last = Long.MAX_VALUE;
        }
        if (first >= size || last < first) {
            throw new ProblemException(416, "Range Not Satisfiable", "the object has " + size + " bytes; the range "
                    + header + " selects none of them");
        }
        return Optional.of(new ByteRange(first, last - first + 1));
    }
}
