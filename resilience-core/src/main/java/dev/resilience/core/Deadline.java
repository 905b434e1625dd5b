package dev.resilience.core;

import org.jspecify.annotations.Nullable;

/**
 * The time by which the current call must be done, set by an enclosing {@link Timeout} so that an inner
 * {@link Retry} does not start an attempt or a backoff sleep that cannot finish in time.
 *
 * <p>Blocking calls find it in a thread local (they run on one thread); asynchronous calls receive it as
 * a parameter along the composed chain. The deadline carries the clock it was measured with, so policies
 * built with different clocks still agree on the time left.
 */
final class Deadline {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final Clock clock;
    private final long deadlineNanos;

    private Deadline(Clock clock, long deadlineNanos) {
        this.clock = clock;
        this.deadlineNanos = deadlineNanos;
    }

    /** The deadline {@code timeoutNanos} from now, or {@code outer} when that one comes first. */
    static Deadline after(Clock clock, long timeoutNanos, @Nullable Deadline outer) {
        Deadline mine = new Deadline(clock, saturatedAdd(clock.nanoTime(), timeoutNanos));
        if (outer != null && outer.remainingNanos() <= timeoutNanos) {
            return outer;
        }
        return mine;
    }

    /** The deadline of the enclosing blocking {@link Timeout} on this thread, or null. */
    static @Nullable Deadline current() {
        return CURRENT.get();
    }

    /** Makes {@code deadline} current and returns the one it replaces, to pass to {@link #restore}. */
    static @Nullable Deadline enter(Deadline deadline) {
        Deadline previous = CURRENT.get();
        CURRENT.set(deadline);
        return previous;
    }

    static void restore(@Nullable Deadline previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** Nanoseconds left; zero or negative once passed. */
    long remainingNanos() {
        return deadlineNanos - clock.nanoTime();
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
