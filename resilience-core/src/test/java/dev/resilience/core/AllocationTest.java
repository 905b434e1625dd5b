package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The success paths that must not allocate: a CLOSED breaker, and retry + breaker composed. Measured with
 * the JVM's per-thread allocation counter, so a regression shows up as bytes, not as timing.
 */
class AllocationTest {

    private static final int CALLS = 100_000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Callable<Integer> work = () -> 42;

    private long bytesAllocatedBy(Callable<?> calls) throws Exception {
        calls.call(); // warm up: class loading and the first interpretations allocate
        long before = threads.getCurrentThreadAllocatedBytes();
        calls.call();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void closedBreakerSuccessPathAllocatesNothing() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("alloc");

        long bytes = bytesAllocatedBy(() -> {
            for (int i = 0; i < CALLS; i++) {
                breaker.call(work);
            }
            return null;
        });

        assertThat(bytes).as("bytes for %d calls", CALLS).isLessThan(CALLS / 10);
    }

    @Test
    void successPathWithListenersAllocatesNothing() throws Exception {
        java.util.concurrent.atomic.LongAdder events = new java.util.concurrent.atomic.LongAdder();
        Policy policy = Resilience.of(Retry.builder("alloc").listener(e -> events.increment()).build(),
                CircuitBreaker.builder("alloc").listener(e -> events.increment()).build(),
                Bulkhead.builder("alloc").listener(e -> events.increment()).build());

        long bytes = bytesAllocatedBy(() -> {
            for (int i = 0; i < CALLS; i++) {
                policy.call(work);
            }
            return null;
        });

        assertThat(bytes).as("bytes for %d calls", CALLS).isLessThan(CALLS / 10);
        assertThat(events.sum()).isEqualTo(2L * CALLS * 4);
    }

    @Test
    void composedRetryAndBreakerSuccessPathAllocatesNothing() throws Exception {
        Policy policy = Resilience.of(Retry.ofDefaults("alloc"), CircuitBreaker.ofDefaults("alloc"));

        long bytes = bytesAllocatedBy(() -> {
            for (int i = 0; i < CALLS; i++) {
                policy.call(work);
            }
            return null;
        });

        assertThat(bytes).as("bytes for %d calls", CALLS).isLessThan(CALLS / 10);
    }
}
