package dev.resilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<String> ran = new ArrayList<>();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private long millis() {
        return Duration.ofNanos(clock.nanoTime()).toMillis();
    }

    @Test
    void runsNothingUntilTheClockReachesTheDueTime() {
        scheduler.schedule(() -> ran.add("task"), Duration.ofSeconds(1));

        scheduler.advance(Duration.ofMillis(999));

        assertThat(ran).isEmpty();
        assertThat(scheduler.pendingTasks()).isEqualTo(1);
    }

    @Test
    void runsTasksInDueOrderWithTheClockAtEachDueTime() {
        scheduler.schedule(() -> ran.add("c@" + millis()), Duration.ofMillis(300));
        scheduler.schedule(() -> ran.add("a@" + millis()), Duration.ofMillis(100));
        scheduler.schedule(() -> ran.add("b@" + millis()), Duration.ofMillis(200));

        scheduler.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("a@100", "b@200", "c@300");
        assertThat(millis()).isEqualTo(1000);
    }

    @Test
    void tasksDueAtTheSameTimeRunInSchedulingOrder() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            scheduler.schedule(() -> ran.add("t" + n), Duration.ofMillis(100));
        }

        scheduler.advance(Duration.ofMillis(100));

        assertThat(ran).containsExactly("t0", "t1", "t2", "t3", "t4");
    }

    @Test
    void taskScheduledByATaskRunsInTheSameAdvanceWhenDue() {
        scheduler.schedule(() -> {
            ran.add("first@" + millis());
            scheduler.schedule(() -> ran.add("second@" + millis()), Duration.ofMillis(100));
        }, Duration.ofMillis(100));

        scheduler.advance(Duration.ofMillis(250));

        assertThat(ran).containsExactly("first@100", "second@200");
    }

    @Test
    void cancelledTaskDoesNotRun() {
        Future<?> future = scheduler.schedule(() -> ran.add("cancelled"), Duration.ofMillis(100));

        future.cancel(false);
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(ran).isEmpty();
        assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    void runAllDoesNotMoveTheClockForCancelledTasks() {
        scheduler.schedule(() -> ran.add("a"), Duration.ofMillis(100));
        scheduler.schedule(() -> ran.add("cancelled"), Duration.ofSeconds(10)).cancel(false);

        scheduler.runAll();

        assertThat(ran).containsExactly("a");
        assertThat(millis()).isEqualTo(100);
    }

    @Test
    void futureCompletesWhenTheTaskRan() {
        Future<?> future = scheduler.schedule(() -> ran.add("x"), Duration.ofMillis(100));
        assertThat(future).isNotDone();

        scheduler.runDue();
        assertThat(future).isNotDone();

        scheduler.runAll();
        assertThat(future).isDone();
        assertThat(millis()).isEqualTo(100);
    }

    @Test
    void sleepRecordsTheDurationAndAdvancesTheClock() throws InterruptedException {
        scheduler.schedule(() -> ran.add("during sleep"), Duration.ofMillis(50));

        scheduler.sleep(Duration.ofMillis(100));
        scheduler.sleep(Duration.ofMillis(200));

        assertThat(scheduler.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(millis()).isEqualTo(300);
        assertThat(ran).containsExactly("during sleep");
    }

    @Test
    void sleepOfAnInterruptedThreadThrowsAndRecordsNothing() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> scheduler.sleep(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
        assertThat(scheduler.sleeps()).isEmpty();
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void sleepEndsEarlyWhenATaskInterruptsTheSleeper() {
        Thread sleeper = Thread.currentThread();
        scheduler.schedule(sleeper::interrupt, Duration.ofMillis(300));

        assertThatThrownBy(() -> scheduler.sleep(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);

        assertThat(millis()).isEqualTo(300);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void recordsScheduledDelays() {
        scheduler.schedule(() -> { }, Duration.ofMillis(10));
        scheduler.schedule(() -> { }, Duration.ofMillis(20));

        assertThat(scheduler.scheduledDelays()).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
    }
}
