package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BulkheadTest {

    private final List<BulkheadEvent> events = new ArrayList<>();

    @Test
    void rejectsWhenAllSlotsAreTaken() throws Exception {
        // Given a bulkhead of one slot held by another thread
        Bulkhead bulkhead = Bulkhead.builder("b").maxConcurrentCalls(1).build();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<String> holder = executor.submit(() -> bulkhead.call(() -> {
                inside.countDown();
                release.await();
                return "held";
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            // When another call comes
            // Then it is rejected at once with a cheap exception
            assertThatThrownBy(() -> bulkhead.call(() -> "second"))
                    .isInstanceOfSatisfying(BulkheadFullException.class, e -> {
                        assertThat(e.bulkheadName()).isEqualTo("b");
                        assertThat(e.getStackTrace()).isEmpty();
                        assertThat(e.getMessage()).contains("'b'").contains("1 concurrent");
                    });
            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
            assertThat(bulkhead.availableCalls()).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void releasesTheSlotWhenWorkFails() {
        Bulkhead bulkhead = Bulkhead.builder("b").maxConcurrentCalls(1).listener(events::add).build();

        assertThatThrownBy(() -> bulkhead.call(() -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(bulkhead.availableCalls()).isEqualTo(1);
        assertThat(events).extracting(BulkheadEvent::type)
                .containsExactly(BulkheadEvent.Type.PERMITTED, BulkheadEvent.Type.FINISHED);
    }

    @Test
    void asyncCallHoldsTheSlotUntilItsStageCompletes() {
        Bulkhead bulkhead = Bulkhead.builder("b").maxConcurrentCalls(1).build();
        CompletableFuture<String> work = new CompletableFuture<>();

        CompletableFuture<String> first = bulkhead.callAsync(() -> work).toCompletableFuture();
        CompletableFuture<String> second = bulkhead.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture();

        assertThat(second.handle((v, t) -> t).join()).isInstanceOf(BulkheadFullException.class);
        work.complete("done");
        assertThat(first).isCompletedWithValue("done");
        assertThat(bulkhead.availableCalls()).isEqualTo(1);
    }

    @Test
    void asyncSlotIsGivenBackWhenAnInnerPolicyThrowsSynchronously() {
        // Given a bulkhead of one slot around a timeout whose scheduler refuses every task
        Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).scheduler(Fixtures.refusingScheduler()).build();
        Bulkhead bulkhead = Bulkhead.builder("b").maxConcurrentCalls(1).build();
        Policy policy = Resilience.of(bulkhead, timeout);

        for (int call = 0; call < 3; call++) {
            // When an async call fails inside the timeout before the work could run
            CompletableFuture<String> result = policy.<String>callAsync(
                    () -> CompletableFuture.completedFuture("x")).toCompletableFuture();

            // Then the caller gets a failed stage (not an exception) naming the cause, and the slot is free again
            assertThat(result.handle((v, t) -> t).join()).isInstanceOf(RejectedExecutionException.class);
            assertThat(bulkhead.availableCalls()).isEqualTo(1);
        }
    }

    @Test
    void interruptWhileWaitingKeepsTheFlag() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder("b").maxConcurrentCalls(1).maxWait(Duration.ofMinutes(1)).build();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            executor.submit(() -> bulkhead.call(() -> {
                inside.countDown();
                release.await();
                return "held";
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> bulkhead.call(() -> "x"))
                    .isInstanceOf(ResilienceException.class).hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isTrue();
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    @Test
    void waitsNoLongerThanAnEnclosingTimeoutsDeadline() throws Exception {
        // Given a full bulkhead that would wait a minute, inside a timeout whose deadline has come
        dev.resilience.testkit.ManualClock clock = new dev.resilience.testkit.ManualClock();
        Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).clock(clock)
                .scheduler(new dev.resilience.testkit.ManualScheduler(clock)).build();
        Bulkhead bulkhead = Bulkhead.builder("b").maxConcurrentCalls(1).maxWait(Duration.ofMinutes(1)).build();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            executor.submit(() -> bulkhead.call(() -> {
                inside.countDown();
                release.await();
                return "held";
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            // When a call arrives with no time left
            // Then it is rejected at once instead of waiting
            assertThatThrownBy(() -> timeout.call(() -> {
                clock.advance(Duration.ofSeconds(1));
                return bulkhead.call(() -> "x");
            })).isInstanceOf(BulkheadFullException.class);
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    @Test
    void builderRejectsBadValues() {
        assertThatThrownBy(() -> Bulkhead.builder("b").maxConcurrentCalls(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentCalls").hasMessageContaining("0");
        assertThatThrownBy(() -> Bulkhead.builder("b").maxWait(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
    }

    @Test
    void exposesItsMaxWait() {
        // given bulkheads with and without a wait
        Bulkhead waiting = Bulkhead.builder("waiting").maxConcurrentCalls(2).maxWait(Duration.ofMillis(250)).build();
        Bulkhead rejecting = Bulkhead.builder("rejecting").maxConcurrentCalls(2).build();

        // then maxWait reports it, zero by default
        assertThat(waiting.maxWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(rejecting.maxWait()).isEqualTo(Duration.ZERO);
    }
}
