package org.dotmac.integrations.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

import org.dotmac.integrations.core.ProblemException;

/**
 * An upload that fails with the given problem (413) once it passes its limit: for a body whose length
 * was not declared (chunked), whichever provider reads it.
 */
final class UploadLimit extends FilterInputStream {

    private final long limit;
    private final Supplier<ProblemException> tooLarge;
    private long count;

    UploadLimit(InputStream in, long limit, Supplier<ProblemException> tooLarge) {
        super(in);
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            throw tooLarge.get();
        }
    }
}
