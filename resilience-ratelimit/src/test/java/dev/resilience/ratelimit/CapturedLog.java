package dev.resilience.ratelimit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what slf4j-simple (the tests' binding, writing to the current {@code System.err}) logs while a block runs. */
final class CapturedLog {

    private CapturedLog() {
    }

    /** Runs {@code block} and returns everything logged meanwhile (by any thread). */
    static String during(ThrowingRunnable block) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            block.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log); // still visible in the test output
        return log;
    }

    /** A block that may throw. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
