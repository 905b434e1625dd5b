package dev.resilience.testkit;

import dev.resilience.core.Scheduler;
import dev.resilience.core.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A {@link Sleeper} and {@link Scheduler} on top of a {@link ManualClock}: a sleep is recorded and
 * advances the clock at once instead of blocking; a scheduled task runs on the thread that advances
 * the clock past its due time ({@link #advance(Duration)} or {@link #runDue()}).
 *
 * <p>Tests read {@link #sleeps()} and {@link #scheduledDelays()} to check backoff schedules exactly.
 * Thread-safe.
 */
public final class ManualScheduler implements Scheduler, Sleeper {

    private final ManualClock clock;
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final List<Duration> delays = Collections.synchronizedList(new ArrayList<>());
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long sequence;

    /**
     * A scheduler that runs tasks only when the test advances {@code clock} through it.
     *
     * @param clock the clock it advances and reads due times from
     */
    public ManualScheduler(ManualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The clock this scheduler advances.
     *
     * @return the clock
     */
    public ManualClock clock() {
        return clock;
    }

    /**
     * Records the sleep and advances the clock by it, running any tasks that fall due. Like a real sleep,
     * it ends early with an {@link InterruptedException} when one of those tasks interrupts the sleeping
     * thread (a timeout firing, for example); the clock then stays at that task's due time.
     */
    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before sleeping " + duration);
        }
        sleeps.add(duration);
        if (!advance(duration, true)) {
            Thread.interrupted();
            throw new InterruptedException("interrupted while sleeping " + duration);
        }
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        delays.add(delay);
        Task scheduled;
        synchronized (queue) {
            scheduled = new Task(clock.nanoTime() + Math.max(0, delay.toNanos()), sequence++, task);
            queue.add(scheduled);
        }
        return scheduled.future;
    }

    /**
     * Advances the clock, running each task as its due time is reached, in due order.
     *
     * @param duration how far to move the clock, zero or more
     */
    public void advance(Duration duration) {
        advance(duration, false);
    }

    /** @return false when {@code stopOnInterrupt} and a task interrupted the current thread */
    private boolean advance(Duration duration, boolean stopOnInterrupt) {
        long target = clock.nanoTime() + duration.toNanos();
        while (true) {
            Task next;
            synchronized (queue) {
                next = queue.peek();
                if (next == null || next.dueNanos > target) {
                    break;
                }
                queue.poll();
            }
            long now = clock.nanoTime();
            if (next.dueNanos > now) {
                clock.advance(Duration.ofNanos(next.dueNanos - now));
            }
            next.run();
            if (stopOnInterrupt && Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        long now = clock.nanoTime();
        if (target > now) {
            clock.advance(Duration.ofNanos(target - now));
        }
        return true;
    }

    /** Runs the tasks already due without moving the clock. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /**
     * Runs every pending task, advancing the clock to each one's due time (cancelled tasks neither run
     * nor move the clock). Tasks that keep scheduling new ones make this loop forever.
     */
    public void runAll() {
        while (true) {
            Task next;
            synchronized (queue) {
                while (!queue.isEmpty() && queue.peek().future.isCancelled()) {
                    queue.poll();
                }
                next = queue.peek();
            }
            if (next == null) {
                return;
            }
            advance(Duration.ofNanos(Math.max(0, next.dueNanos - clock.nanoTime())));
        }
    }

    /**
     * The tasks scheduled and not yet run or cancelled.
     *
     * @return the number of pending tasks
     */
    public int pendingTasks() {
        synchronized (queue) {
            queue.removeIf(task -> task.future.isCancelled());
            return queue.size();
        }
    }

    /**
     * Every sleep requested through {@link #sleep(Duration)}, in order.
     *
     * @return the sleeps, an unmodifiable snapshot
     */
    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    /**
     * Every delay requested through {@link #schedule(Runnable, Duration)}, in order.
     *
     * @return the delays, an unmodifiable snapshot
     */
    public List<Duration> scheduledDelays() {
        synchronized (delays) {
            return List.copyOf(delays);
        }
    }

    private static final class Task implements Comparable<Task> {
        final long dueNanos;
        final long order;
        final Runnable body;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        Task(long dueNanos, long order, Runnable body) {
            this.dueNanos = dueNanos;
            this.order = order;
            this.body = body;
        }

        void run() {
            if (future.isCancelled()) {
                return;
            }
            try {
                body.run();
                future.complete(null);
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
                throw e;
            }
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(dueNanos, other.dueNanos);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
