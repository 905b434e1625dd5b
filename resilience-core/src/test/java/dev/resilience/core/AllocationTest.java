package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The success paths that must not allocate: a CLOSED breaker (count- and time-based), and retry + breaker composed. Measured with
 * the JVM's per-thread allocation counter, so a regression shows up as bytes, not as timing.
 */
class AllocationTest {

    private static final int CALLS = 100_000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Callable<Integer> work = () -> 42;

    /** The bytes this thread allocates for {@link #CALLS} calls through {@code policy}, after as many to warm up. */
    private long bytesAllocatedCalling(Policy policy) throws Exception {
        callMany(policy); // warm up: class loading and the first interpretations allocate
        long before = threads.getCurrentThreadAllocatedBytes();
        callMany(policy);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** A breaker over a minute's window on a clock that stands still, so no new bucket is needed. */
    private static CircuitBreaker timeBasedBreaker() {
        return CircuitBreaker.builder("alloc").timeBasedWindow(Duration.ofSeconds(60)).clock(new ManualClock()).build();
    }

    private void callMany(Policy policy) throws Exception {
        for (int i = 0; i < CALLS; i++) {
            policy.call(work);
        }
    }

    @Test
    void closedBreakerSuccessPathAllocatesNothing() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("alloc");

        long bytes = bytesAllocatedCalling(breaker);

        assertThat(bytes).as("bytes for %d calls", CALLS).isLessThan(CALLS / 10);
    }

    @Test
    void timeBasedBreakerSuccessPathAllocatesNothing() throws Exception {
        CircuitBreaker breaker = timeBasedBreaker();

        long bytes = bytesAllocatedCalling(breaker);

        assertThat(bytes).as("bytes for %d calls", CALLS).isLessThan(CALLS / 10);
    }

    @Test
    void timeBasedBreakerJudgingSuccessesAfterAFailureAllocatesNothing() throws Exception {
        // a failure in the window makes every success sum the buckets
        CircuitBreaker breaker = timeBasedBreaker();
        breaker.onError(0, new IllegalStateException("one failure"));

        long bytes = bytesAllocatedCalling(breaker);

        assertThat(bytes).as("bytes for %d calls", CALLS).isLessThan(CALLS / 10);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void successPathWithListenersAllocatesNothing() throws Exception {
        java.util.concurrent.atomic.LongAdder events = new java.util.concurrent.atomic.LongAdder();
        Policy policy = Resilience.of(Retry.builder("alloc").listener(e -> events.increment()).build(),
                CircuitBreaker.builder("alloc").listener(e -> events.increment()).build(),
                Bulkhead.builder("alloc").listener(e -> events.increment()).build());

        long bytes = bytesAllocatedCalling(policy);

        assertThat(bytes).as("bytes for %d calls", CALLS).isLessThan(CALLS / 10);
        assertThat(events.sum()).isEqualTo(2L * CALLS * 4);
    }

    @Test
    void composedRetryAndBreakerSuccessPathAllocatesNothing() throws Exception {
        Policy policy = Resilience.of(Retry.ofDefaults("alloc"), CircuitBreaker.ofDefaults("alloc"));

        long bytes = bytesAllocatedCalling(policy);

        assertThat(bytes).as("bytes for %d calls", CALLS).isLessThan(CALLS / 10);
    }
}
