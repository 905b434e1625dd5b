package dev.resilience.benchmarks.core;

import dev.failsafe.function.CheckedSupplier;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The work each benchmark thread runs through the policies: cheap, allocation-free, not foldable by the
 * JIT, and per thread, so that with {@code -t 2} the threads share the policies (as real callers do) but
 * not the work's own state. The counter is padded to a cache line of its own: once a GC packs objects
 * together, a counter written on every call must not share a line with a policy's fields (false sharing
 * would be measured as the policy's cost).
 */
@State(Scope.Thread)
public class Caller extends CallerCounter {

    long q1, q2, q3, q4, q5, q6, q7, q8;

    final Callable<Integer> callable = this::work;
    final CheckedSupplier<Integer> supplier = this::work;

    private Integer work() {
        return ++value & 127; // stays in the Integer cache: the work itself allocates nothing
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
