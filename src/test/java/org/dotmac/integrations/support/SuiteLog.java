package org.dotmac.integrations.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Keeps everything the suite's JVM writes to System.out and System.err (the gateways log there),
 * and the logs of the gateways it starts as processes, for {@code SuiteLogScanTest} at the end.
 * Registered as a launcher session listener, so it is in place before the first test class starts.
 */
public final class SuiteLog implements LauncherSessionListener {

    private static final ByteArrayOutputStream TEXT = new ByteArrayOutputStream();
    private static volatile boolean installed;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        System.setOut(tee(System.out, TEXT));
        System.setErr(tee(System.err, TEXT));
        installed = true;
    }

    /** True when the whole session is being kept (false in an IDE that does not load the listener). */
    public static boolean installed() {
        return installed;
    }

    /** Adds the log of a gateway that ran as its own process. */
    public static void addProcessLog(Path log) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            synchronized (TEXT) {
                TEXT.write(bytes, 0, bytes.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text() {
        synchronized (TEXT) {
            return TEXT.toString(StandardCharsets.UTF_8);
        }
    }

    /** A stream that writes to the original and keeps a copy. */
    static PrintStream tee(PrintStream original, ByteArrayOutputStream copy) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (copy) {
                    copy.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (copy) {
                    copy.write(b, off, len);
                }
            }

            @Override
            public void flush() {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
