package dev.resilience.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Captures what is written to {@code System.err} while a block runs: with slf4j-simple as the test's
 * logging binding (it writes to the current {@code System.err}), every log line, so a test can assert that
 * a line was logged once, or that a password never was. The captured text is also passed on to the real
 * {@code System.err}. Not for parallel tests (it swaps a global stream).
 */
public final class CapturedLog {

    private static volatile @Nullable ByteArrayOutputStream current;

    private CapturedLog() {
    }

    /**
     * What the running {@link #during} block has captured so far (empty outside one), for a block that waits
     * for a line to appear, e.g. {@code await().until(() -> CapturedLog.soFar().contains("Cannot connect"))}.
     *
     * @return the captured text, empty outside a block
     */
    public static String soFar() {
        ByteArrayOutputStream captured = current;
        return captured == null ? "" : captured.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code block} and returns everything logged meanwhile (by any thread).
     *
     * @param block the code whose logging is captured
     * @return everything written to standard output and error while the block ran
     */
    public static String during(ThrowingRunnable block) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        current = captured;
        try {
            block.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            current = null;
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log); // still visible in the test output
        return log;
    }

    /** A block that may throw. */
    public interface ThrowingRunnable {
        /**
         * Runs the block.
         *
         * @throws Exception anything; {@link #during} rethrows it wrapped in an IllegalStateException
         */
        void run() throws Exception;
    }
}
