package dev.resilience.core;

import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Clock} whose {@link #nanoTime()} is a single field read instead of a call to the source
 * clock: a ticker copies the source's time into the field once per resolution. Meant for timing calls
 * where a millisecond does not matter, such as a circuit breaker's slow-call judgement
 * ({@link CircuitBreaker.Builder#callClock(Clock)}): reading {@link System#nanoTime()} twice per call
 * costs more than the rest of a breaker's success path.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *     .slowCallDuration(Duration.ofSeconds(2))
 *     .callClock(CoarseClock.system())   // durations to about 1 ms, at the cost of a field read
 *     .build();
 * }</pre>
 *
 * <p><b>Accuracy.</b> A reading lags the source by up to one resolution plus however late the ticker
 * runs, so a duration measured with two readings is off by up to that much either way: a call that took
 * 2.0004 s may read as 2.001 s or 1.999 s. When the machine is so loaded that the ticker thread is not
 * scheduled for a while, readings stand still and durations measured across that stall read short;
 * calls just above a slow-call threshold may then count as not slow. Keep thresholds far above the
 * resolution (with the 1 ms system clock: 100 ms or more, where the error is under 1 %). {@link #now()}
 * and {@link #currentTimeMillis()} are the source's own, exact.
 *
 * <p><b>Life cycle.</b> The ticker starts on the first {@link #nanoTime()} reading (nothing runs until
 * then) and keeps going until {@link #close()}. After closing, readings come from the source directly:
 * exact again, only no longer cheap, so a clock closed too early is slower, never wrong. The ticker does
 * not restart.
 *
 * <p>Thread-safe.
 */
public final class CoarseClock implements Clock, AutoCloseable {

    /** Held in {@code nanos} while not ticking: the reader then asks the source. */
    private static final long NOT_TICKING = Long.MIN_VALUE;
    private static final int NEW = 0;
    private static final int TICKING = 1;
    private static final int CLOSED = 2;
    private static final AtomicIntegerFieldUpdater<CoarseClock> STATE =
            AtomicIntegerFieldUpdater.newUpdater(CoarseClock.class, "state");

    private final Clock source;
    private final Duration resolution;
    /** Null for the system clock, which owns its ticker thread. */
    private final @Nullable Scheduler scheduler;
    private @Nullable ScheduledThreadPoolExecutor ownThread;
    private volatile long nanos = NOT_TICKING;
    private volatile int state = NEW;
    private final Runnable tickTask = this::tick;
    private volatile @Nullable Scheduler ticker;
    private volatile @Nullable Future<?> nextTick;

    private CoarseClock(Clock source, Duration resolution, @Nullable Scheduler scheduler) {
        this.source = source;
        this.resolution = resolution;
        this.scheduler = scheduler;
    }

    /**
     * {@return the shared coarse view of {@link Clock#system()}: 1 ms resolution, ticked by one daemon thread
     * ({@code resilience-coarse-clock}) that starts on the first reading}
     * Every policy given this clock
     * shares that one thread. Close it only when the application shuts down (a redeployed web
     * application, for example); policies using it then read the exact system time.
     */
    public static CoarseClock system() {
        return SystemCoarseClock.INSTANCE;
    }

    /**
     * A coarse view of {@code source}, refreshed every {@code resolution} by a task scheduled on
     * {@code scheduler} (tests pass {@code ManualClock} and {@code ManualScheduler} from the testkit).
     *
     * @param source the clock that is read once per tick
     * @param resolution the time between ticks, positive
     * @param scheduler runs the ticks; the caller owns it
     * @return the coarse clock; close it to stop ticking
     * @throws IllegalArgumentException if {@code resolution} is not positive
     */
    public static CoarseClock of(Clock source, Duration resolution, Scheduler scheduler) {
        return new CoarseClock(Objects.requireNonNull(source, "source"), Arguments.positive("resolution", resolution),
                Objects.requireNonNull(scheduler, "scheduler"));
    }

    /** {@return how often the reading is refreshed} */
    public Duration resolution() {
        return resolution;
    }

    /** The source's time as of the last tick (the source's own time before the first and after closing). */
    @Override
    public long nanoTime() {
        long reading = nanos;
        return reading != NOT_TICKING ? reading : startOrReadSource();
    }

    private long startOrReadSource() {
        if (STATE.compareAndSet(this, NEW, TICKING)) {
            ticker = scheduler != null ? scheduler : startOwnThread();
            tick();
        }
        return source.nanoTime();
    }

    private void tick() {
        nanos = source.nanoTime();
        try {
            Scheduler current = ticker;
            // no ticker when close() came before the first reading started one
            if (state != CLOSED && current != null) {
                nextTick = current.schedule(tickTask, resolution);
                return;
            }
        } catch (RejectedExecutionException closedMeanwhile) {
            // close() shut the ticker thread down between the check and the scheduling
        }
        // close() sets CLOSED before clearing the reading, so clearing again here leaves no stale reading
        nanos = NOT_TICKING;
    }

    /** The system clock's own daemon thread; none once closed. */
    private synchronized @Nullable Scheduler startOwnThread() {
        if (state == CLOSED) {
            return null;
        }
        ownThread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "resilience-coarse-clock");
            thread.setDaemon(true);
            return thread;
        });
        ownThread.setRemoveOnCancelPolicy(true);
        return Scheduler.of(ownThread);
    }

    @Override
    public Instant now() {
        return source.now();
    }

    @Override
    public long currentTimeMillis() {
        return source.currentTimeMillis();
    }

    /** {@return true once {@link #close()} has run} */
    public boolean isClosed() {
        return state == CLOSED;
    }

    /**
     * Stops the ticker (and, for {@link #system()}, its thread). Later readings are the source's own.
     * Idempotent.
     */
    @Override
    public void close() {
        if (STATE.getAndSet(this, CLOSED) == CLOSED) {
            return;
        }
        nanos = NOT_TICKING;
        Future<?> pending = nextTick;
        if (pending != null) {
            pending.cancel(false);
        }
        synchronized (this) {
            if (ownThread != null) {
                ownThread.shutdownNow();
            }
        }
    }

    @Override
    public String toString() {
        return "CoarseClock{" + source + ", " + resolution + (isClosed() ? ", closed" : "") + "}";
    }

    /** Holder: the shared instance exists only once asked for. */
    private static final class SystemCoarseClock {
        static final CoarseClock INSTANCE = new CoarseClock(Clock.system(), Duration.ofMillis(1), null);
    }
}
