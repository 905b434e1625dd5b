package dev.resilience.benchmarks.core;

import dev.failsafe.function.CheckedSupplier;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The work each benchmark thread runs through the policies: cheap, allocation-free, not foldable by the
 * JIT, and per thread, so that with {@code -t 2} the threads share the policies (as real callers do) but
 * not the work's own state. The counter is padded to a cache line of its own: once a GC packs objects
 * together, a counter written on every call must not share a line with a policy's fields (false sharing
 * would be measured as the policy's cost).
 *
 * <p>{@code failurePercent} 0 is the healthy path; 1 makes every 100th call of a thread throw one
 * preallocated exception (no stack trace, no suppression, so throwing it allocates nothing and nothing
 * can pile up on it). A retry's next attempt is the thread's next call, so it succeeds.
 */
@State(Scope.Thread)
public class Caller extends CallerCounter {

    /** Thrown by the failing calls: preallocated, without stack trace or suppressed exceptions. */
    static final Exception FAILURE = new Exception("injected failure", null, false, false) {
    };

    long q1, q2, q3, q4, q5, q6, q7, q8;

    @Param({"0", "1"})
    int failurePercent;

    int failEvery;

    final Callable<Integer> callable = this::work;
    final CheckedSupplier<Integer> supplier = this::work;

    @Setup
    public void setUp() {
        failEvery = failurePercent == 0 ? 0 : 100 / failurePercent;
    }

    private Integer work() throws Exception {
        int next = ++value;
        if (failEvery != 0 && next % failEvery == 0) {
            throw FAILURE;
        }
        return next & 127; // stays in the Integer cache: the work itself allocates nothing
    }
}

/** Padding before the counter (superclass fields are laid out first). */
class CallerPadding {
    long p1, p2, p3, p4, p5, p6, p7, p8;
}

/** The counter, between the paddings. */
class CallerCounter extends CallerPadding {
    int value;
}
