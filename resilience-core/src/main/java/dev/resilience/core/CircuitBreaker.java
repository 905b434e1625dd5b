package dev.resilience.core;

import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops calling a dependency that keeps failing, so it can recover and callers fail fast meanwhile.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *     .failureRateThreshold(50)                 // open when half the recent calls fail
 *     .slowCallDuration(Duration.ofSeconds(2))  // and count calls over 2 s as slow
 *     .slowCallRateThreshold(80)                // open when 80 % are slow
 *     .countBasedWindow(100)                    // judge the last 100 calls
 *     .minimumNumberOfCalls(20)                 // but not before 20 calls
 *     .openDuration(Duration.ofSeconds(30))     // then reject for 30 s
 *     .permittedCallsInHalfOpen(3)              // then let 3 probes through
 *     .build();
 * Receipt receipt = breaker.call(() -> payments.charge(order));
 * }</pre>
 *
 * <p>States ({@link State}): CLOSED runs every call and records its outcome in a sliding window (the last
 * N calls, or the calls of the last N seconds). When, after a recorded call (failed, slow or successful:
 * both kinds of window judge the same way), the window holds at least {@code minimumNumberOfCalls} and the
 * failure rate or the slow-call rate reaches its threshold, the breaker turns OPEN and rejects calls with a {@link CallNotPermittedException} for the open duration.
 * The first call after that turns it HALF_OPEN, which permits {@code permittedCallsInHalfOpen} probe
 * calls; when they are done the breaker closes again, or reopens if their failure or slow-call rate
 * reaches a threshold. Probes that do not report within {@link Builder#maxWaitInHalfOpen(Duration)} count
 * as failed. Each consecutive reopening can lengthen the open duration
 * ({@link Builder#openDurationMultiplier(double)}, up to {@link Builder#maxOpenDuration(Duration)}).
 * DISABLED (always permit, record nothing) and FORCED_OPEN (always reject) are entered only by hand,
 * with {@link #transitionTo(State)}.
 *
 * <p>Which exceptions count: every exception is a failure by default; once {@code recordOn} types or a
 * {@code recordIf} predicate are set only matching ones are, and other exceptions count as successes.
 * {@code ignore} types count neither way (and give back a half-open permit). Returned values are
 * successes unless {@link Builder#recordResult(Predicate)} says otherwise.
 *
 * <p>Callback code that cannot wrap the work uses {@link #tryAcquirePermission()} then exactly one of
 * {@link #onSuccess(long)}, {@link #onError(long, Throwable)} or {@link #releasePermission()}.
 *
 * <p>Defaults: failure rate 50 %, no slow-call detection (slow-call rate 100 % once a slow-call duration
 * is set), count-based window of 100 calls, minimum 10 calls, open 60 s (not growing), 10 probe calls reporting within 60 s.
 *
 * <p>Thread-safe. A state change is a compare-and-set, so each transition happens, and is published,
 * exactly once however many threads race. The count-based window judges exactly: each outcome that
 * changes it is recorded and judged under a short lock, so the breaker opens on a call exactly when a
 * single thread making the same calls one by one would. In CLOSED state a successful call into a healthy
 * window (a count window full of successes, a time window without a failed or slow call) takes no lock and
 * allocates nothing (listeners included, unless the call's duration is measured); the time is read only
 * when slow calls are detected or the window is time-based, from {@link Builder#callClock(Clock)} (a
 * {@link CoarseClock} makes that reading a field read).
 */
public final class CircuitBreaker extends ComposablePolicy {

    /** The states of a breaker. */
    public enum State {
        /** Calls run and are recorded. */
        CLOSED,
        /** Calls are rejected until the open duration has passed. */
        OPEN,
        /** A few probe calls run; their outcome closes or reopens the breaker. */
        HALF_OPEN,
        /** Calls run and nothing is recorded; entered only by hand. */
        DISABLED,
        /** Calls are rejected until the breaker is moved by hand; entered only by hand. */
        FORCED_OPEN
    }

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final AtomicReferenceFieldUpdater<CircuitBreaker, Phase> PHASE =
            AtomicReferenceFieldUpdater.newUpdater(CircuitBreaker.class, Phase.class, "phase");
    private static final int BITS = 21;
    private static final long MASK = (1L << BITS) - 1;

    private final String name;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final long slowCallNanos;
    private final int windowSize;
    private final boolean timeBased;
    private final int minimumNumberOfCalls;
    private final long openNanos;
    private final double openDurationMultiplier;
    private final long maxOpenNanos;
    private final int permittedCallsInHalfOpen;
    private final long maxWaitInHalfOpenNanos;
    private final List<Class<? extends Throwable>> recordOn;
    private final @Nullable Predicate<? super Throwable> recordIf;
    private final List<Class<? extends Throwable>> ignore;
    private final @Nullable Predicate<Object> recordResult;
    private final Clock clock;
    /** Times calls: durations for slow-call judgement and the time-based window's "now". */
    private final Clock callClock;
    private final Listeners<CircuitBreakerEvent> listeners;
    private final boolean readsClock;
    /** Events are immutable, so those that carry nothing call-specific are created once, not per call. */
    private final CircuitBreakerEvent closedSuccess;
    private final CircuitBreakerEvent[] notPermitted;

    private volatile Phase phase;

    private CircuitBreaker(Builder builder) {
        this.name = builder.name;
        this.failureRateThreshold = builder.failureRateThreshold;
        this.slowCallRateThreshold = builder.slowCallRateThreshold;
        this.slowCallNanos = builder.slowCallDuration == null ? 0 : builder.slowCallDuration.toNanos();
        this.windowSize = builder.windowSize;
        this.timeBased = builder.timeBased;
        this.minimumNumberOfCalls = builder.minimumNumberOfCalls;
        this.openNanos = builder.openDuration.toNanos();
        this.openDurationMultiplier = builder.openDurationMultiplier;
        this.maxOpenNanos = builder.maxOpenDuration == null ? openNanos : builder.maxOpenDuration.toNanos();
        this.permittedCallsInHalfOpen = builder.permittedCallsInHalfOpen;
        this.maxWaitInHalfOpenNanos = builder.maxWaitInHalfOpen.toNanos();
        this.recordOn = List.copyOf(builder.recordOn);
        this.recordIf = builder.recordIf;
        this.ignore = List.copyOf(builder.ignore);
        this.recordResult = builder.recordResult;
        this.clock = builder.clock;
        this.callClock = builder.callClock == null ? builder.clock : builder.callClock;
        this.listeners = new Listeners<>(builder.listeners);
        this.readsClock = slowCallNanos > 0 || timeBased;
        this.closedSuccess = new CircuitBreakerEvent(name, CircuitBreakerEvent.Type.SUCCESS, State.CLOSED, State.CLOSED, 0, null);
        this.notPermitted = new CircuitBreakerEvent[State.values().length];
        for (State state : State.values()) {
            notPermitted[state.ordinal()] = new CircuitBreakerEvent(name, CircuitBreakerEvent.Type.NOT_PERMITTED,
                    state, state, 0, null);
        }
        this.phase = new Closed(newWindow());
    }

    /**
     * A breaker with the defaults.
     *
     * @param name the name, not blank
     * @return the breaker, CLOSED
     */
    public static CircuitBreaker ofDefaults(String name) {
        return builder(name).build();
    }

    /**
     * A builder for a breaker called {@code name} (used in events, metrics and rejection messages).
     *
     * @param name the name, not blank
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@return the name given to the builder, used in events, metrics and rejection messages} */
    public String name() {
        return name;
    }

    /**
     * {@return the failure rate, in percent, at which the breaker opens ({@link Builder#failureRateThreshold})}
     */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /**
     * {@return the slow-call rate, in percent, at which the breaker opens ({@link Builder#slowCallRateThreshold})}
     */
    public float slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** {@return how long a call takes to count as slow; zero when calls are not judged by duration} */
    public Duration slowCallDuration() {
        return Duration.ofNanos(slowCallNanos);
    }

    /**
     * {@return true for a time-based window ({@link Builder#timeBasedWindow}), false for a count-based one}
     */
    public boolean timeBasedWindow() {
        return timeBased;
    }

    /** {@return the window's size: calls for a count-based window, seconds for a time-based one} */
    public int windowSize() {
        return windowSize;
    }

    /** {@return how many calls the window must hold before the rates are judged} */
    public int minimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    /** {@return how long the breaker stays open the first time} */
    public Duration openDuration() {
        return Duration.ofNanos(openNanos);
    }

    /**
     * {@return what the open duration is multiplied by each time failed probes reopen the breaker; 1 keeps it}
     */
    public double openDurationMultiplier() {
        return openDurationMultiplier;
    }

    /** {@return the longest open duration the multiplier can reach} */
    public Duration maxOpenDuration() {
        return Duration.ofNanos(maxOpenNanos);
    }

    /** {@return how many probe calls a half-open breaker lets through} */
    public int permittedCallsInHalfOpen() {
        return permittedCallsInHalfOpen;
    }

    /**
     * {@return how long a half-open breaker waits for a probe's outcome before taking it as lost and reopening}
     */
    public Duration maxWaitInHalfOpen() {
        return Duration.ofNanos(maxWaitInHalfOpenNanos);
    }

    /**
     * The failure types recorded as failures, subtypes included ({@link Builder#recordOn}); empty by
     * default, when every failure is recorded unless {@link #recordIf()} is set.
     *
     * @return the types, unmodifiable
     */
    public List<Class<? extends Throwable>> recordOn() {
        return recordOn;
    }

    /**
     * The predicate that also selects failures to record ({@link Builder#recordIf}).
     *
     * @return the predicate, or null when none was set (the default)
     */
    public @Nullable Predicate<? super Throwable> recordIf() {
        return recordIf;
    }

    /**
     * The failure types that count neither as failure nor as success ({@link Builder#ignore}); empty by default.
     *
     * @return the types, unmodifiable
     */
    public List<Class<? extends Throwable>> ignore() {
        return ignore;
    }

    /**
     * The predicate that counts a returned value as a failure ({@link Builder#recordResult}).
     *
     * @return the predicate, or null when every returned value is a success (the default)
     */
    public @Nullable Predicate<?> recordResult() {
        return recordResult;
    }

    /**
     * The clock of the open duration and the half-open wait.
     *
     * @return the clock; {@link Clock#system()} by default
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The clock that times calls (slow-call judgement, the time-based window's "now").
     *
     * @return the call clock; the {@link #clock()} unless {@link Builder#callClock} set another
     */
    public Clock callClock() {
        return callClock;
    }

    /**
     * {@return the current state}
     * An OPEN breaker whose open duration has passed stays OPEN until the next call.
     */
    public State state() {
        return phase.state;
    }

    /**
     * Adds a listener; it receives the events that happen afterwards.
     *
     * @param listener called for each event, on the thread that saw it; keep it fast and thread-safe
     */
    public void addListener(PolicyListener<? super CircuitBreakerEvent> listener) {
        listeners.add(listener);
    }

    @Override
    <T> T execute(Callable<T> work, Step next) throws Exception {
        if (!tryAcquirePermission()) {
            throw rejection();
        }
        long start = readsClock ? callClock.nanoTime() : 0;
        T result;
        try {
            result = next.call(work);
        } catch (Throwable failure) {
            long end = readsClock ? callClock.nanoTime() : 0;
            completedWithError(end - start, end, failure);
            throw failure;
        }
        long end = readsClock ? callClock.nanoTime() : 0;
        record(outcome(end - start, isFailure(result)), end - start, end, null);
        return result;
    }

    @Override
    <T> CompletionStage<T> executeAsync(Supplier<? extends CompletionStage<T>> work, AsyncStep next, @Nullable Deadline deadline) {
        if (!tryAcquirePermission()) {
            return CompletableFuture.failedFuture(rejection());
        }
        long start = readsClock ? callClock.nanoTime() : 0;
        return relay(next.call(work, deadline), (value, failure) -> {
            long end = readsClock ? callClock.nanoTime() : 0;
            if (failure == null) {
                record(outcome(end - start, isFailure(value)), end - start, end, null);
            } else {
                completedWithError(end - start, end, failure);
            }
        });
    }

    /**
     * Asks to make one call. When this returns true the caller must report exactly one of
     * {@link #onSuccess(long)}, {@link #onError(long, Throwable)} or {@link #releasePermission()}.
     *
     * @return true when the call may go ahead; false when the breaker rejects it (an event is published)
     */
    public boolean tryAcquirePermission() {
        while (true) {
            Phase current = phase;
            if (current.state == State.CLOSED || current.state == State.DISABLED) {
                return true;
            }
            if (current instanceof Open) {
                long now = clock.nanoTime();
                if (now - ((Open) current).until >= 0) {
                    transition(current, new HalfOpen(permittedCallsInHalfOpen, ((Open) current).reopenings, now));
                    continue;
                }
            } else if (current instanceof HalfOpen) {
                HalfOpen halfOpen = (HalfOpen) current;
                long now = clock.nanoTime();
                if (halfOpen.tryAcquire(now)) {
                    return true;
                }
                if (now - halfOpen.lastPermitNanos >= maxWaitInHalfOpenNanos) {
                    reopenAfterLostProbes(halfOpen);
                    continue;
                }
            }
            if (!listeners.isEmpty()) {
                listeners.publish(notPermitted[current.state.ordinal()]);
            }
            return false;
        }
    }

    /**
     * All probes are out and some have not reported within the maximum wait after the last one started
     * (a lost callback, a manual caller that never reports): without this the breaker would stay
     * HALF_OPEN forever. The missing probes count as failed, so a growing open duration keeps growing.
     */
    private void reopenAfterLostProbes(HalfOpen halfOpen) {
        long reported = halfOpen.results.get() & MASK;
        if (transition(halfOpen, open(halfOpen.reopenings + 1))) {
            LOG.warn("Circuit breaker '{}': {} of {} probe calls did not report within {} ms; counted as failed",
                    name, permittedCallsInHalfOpen - reported, permittedCallsInHalfOpen, maxWaitInHalfOpenNanos / 1_000_000);
        }
    }

    /**
     * {@link #tryAcquirePermission()} that throws when the call is not permitted.
     *
     * @throws CallNotPermittedException when the breaker rejects the call
     */
    public void acquirePermission() {
        if (!tryAcquirePermission()) {
            throw rejection();
        }
    }

    /** Gives back a permission for a call that did not run (it counts neither way). */
    public void releasePermission() {
        Phase current = phase;
        if (current instanceof HalfOpen) {
            ((HalfOpen) current).release(permittedCallsInHalfOpen);
        }
    }

    /**
     * Records a successful call that took {@code durationNanos}.
     *
     * @param durationNanos how long the call took, in nanoseconds
     */
    public void onSuccess(long durationNanos) {
        record(outcome(durationNanos, false), durationNanos, timeBased ? clock.nanoTime() : 0, null);
    }

    /**
     * Records a failed call that took {@code durationNanos}: a failure, an ignored call or (when the
     * exception is not one the breaker records) a success.
     *
     * @param durationNanos how long the call took, in nanoseconds
     * @param failure what the call threw
     */
    public void onError(long durationNanos, Throwable failure) {
        completedWithError(durationNanos, timeBased ? clock.nanoTime() : 0, failure);
    }

    private void completedWithError(long durationNanos, long nowNanos, Throwable failure) {
        if (isIgnored(failure)) {
            releasePermission();
            if (!listeners.isEmpty()) {
                State state = phase.state;
                listeners.publish(new CircuitBreakerEvent(name, CircuitBreakerEvent.Type.IGNORED, state, state,
                        durationNanos, failure));
            }
            return;
        }
        boolean recorded = isRecorded(failure);
        record(outcome(durationNanos, recorded), durationNanos, nowNanos, recorded ? failure : null);
    }

    /** True when {@code recordResult} counts this returned value as a failure. */
    private boolean isFailure(Object result) {
        return recordResult != null && recordResult.test(result);
    }

    private boolean isIgnored(Throwable failure) {
        return Exceptions.isInstanceOfAny(ignore, failure);
    }

    private boolean isRecorded(Throwable failure) {
        if (recordOn.isEmpty() && recordIf == null) {
            return true;
        }
        return Exceptions.isInstanceOfAny(recordOn, failure) || (recordIf != null && recordIf.test(failure));
    }

    private int outcome(long durationNanos, boolean failed) {
        boolean slow = slowCallNanos > 0 && durationNanos >= slowCallNanos;
        if (failed) {
            return slow ? SlidingWindow.SLOW_FAILURE : SlidingWindow.FAILURE;
        }
        return slow ? SlidingWindow.SLOW_SUCCESS : SlidingWindow.SUCCESS;
    }

    private void record(int outcome, long durationNanos, long nowNanos, @Nullable Throwable failure) {
        Phase current = phase;
        boolean trips = current instanceof Closed && ((Closed) current).window.record(outcome, nowNanos);
        if (!listeners.isEmpty()) {
            // the call's event comes before the transition it causes
            listeners.publish(outcome == SlidingWindow.SUCCESS && durationNanos == 0 && current.state == State.CLOSED
                    ? closedSuccess
                    : new CircuitBreakerEvent(name, eventType(outcome), current.state, current.state, durationNanos, failure));
        }
        if (trips) {
            transition(current, open(0));
        } else if (current instanceof HalfOpen) {
            recordProbe((HalfOpen) current, outcome);
        }
    }

    private static CircuitBreakerEvent.Type eventType(int outcome) {
        switch (outcome) {
            case SlidingWindow.FAILURE:
                return CircuitBreakerEvent.Type.FAILURE;
            case SlidingWindow.SLOW_FAILURE:
                return CircuitBreakerEvent.Type.SLOW_FAILURE;
            case SlidingWindow.SLOW_SUCCESS:
                return CircuitBreakerEvent.Type.SLOW_SUCCESS;
            default:
                return CircuitBreakerEvent.Type.SUCCESS;
        }
    }

    private void recordProbe(HalfOpen halfOpen, int outcome) {
        long weight = 1 + (SlidingWindow.isFailure(outcome) ? 1L << BITS : 0) + (SlidingWindow.isSlow(outcome) ? 1L << (2 * BITS) : 0);
        long results = halfOpen.results.addAndGet(weight);
        long completed = results & MASK;
        if (completed != permittedCallsInHalfOpen) {
            return; // the probe that completes the set decides, exactly once
        }
        long failures = (results >>> BITS) & MASK;
        long slow = (results >>> (2 * BITS)) & MASK;
        if (SlidingWindow.exceeds(completed, failures, slow, 1, failureRateThreshold, slowCallRateThreshold)) {
            transition(halfOpen, open(halfOpen.reopenings + 1));
        } else {
            transition(halfOpen, new Closed(newWindow()));
        }
    }

    private Open open(int reopenings) {
        double grown = openNanos * Math.pow(openDurationMultiplier, reopenings);
        long duration = grown >= maxOpenNanos ? maxOpenNanos : (long) grown;
        return new Open(Deadline.saturatedAdd(clock.nanoTime(), duration), reopenings);
    }

    private SlidingWindow newWindow() {
        return timeBased
                ? new TimeBasedWindow(windowSize, minimumNumberOfCalls, failureRateThreshold, slowCallRateThreshold)
                : new CountBasedWindow(windowSize, minimumNumberOfCalls, failureRateThreshold, slowCallRateThreshold);
    }

    private boolean transition(Phase from, Phase to) {
        if (!PHASE.compareAndSet(this, from, to)) {
            return false;
        }
        if (to.state == State.OPEN) {
            LOG.warn("Circuit breaker '{}' changed from {} to OPEN for {} ms", name, from.state,
                    Math.max(0, (((Open) to).until - clock.nanoTime()) / 1_000_000));
        } else {
            LOG.info("Circuit breaker '{}' changed from {} to {}", name, from.state, to.state);
        }
        if (!listeners.isEmpty()) {
            listeners.publish(new CircuitBreakerEvent(name, CircuitBreakerEvent.Type.STATE_TRANSITION, from.state,
                    to.state, 0, null));
        }
        return true;
    }

    /**
     * Moves the breaker to {@code state} by hand: CLOSED (with an empty window), OPEN (for the open
     * duration), HALF_OPEN, DISABLED or FORCED_OPEN. Does nothing when the breaker is already in that
     * state, except that CLOSED empties the window.
     *
     * @param state the state to move to
     */
    public void transitionTo(State state) {
        Objects.requireNonNull(state, "state");
        while (true) {
            Phase current = phase;
            if (current.state == state && state != State.CLOSED) {
                return;
            }
            Phase target;
            switch (state) {
                case CLOSED:
                    target = new Closed(newWindow());
                    break;
                case OPEN:
                    target = open(0);
                    break;
                case HALF_OPEN:
                    target = new HalfOpen(permittedCallsInHalfOpen, 0, clock.nanoTime());
                    break;
                default:
                    target = new Phase(state);
            }
            if (current.state == state ? PHASE.compareAndSet(this, current, target) : transition(current, target)) {
                return;
            }
        }
    }

    /** Closes the breaker and forgets every recorded outcome. */
    public void reset() {
        transitionTo(State.CLOSED);
    }

    /**
     * {@return the failure rate in percent of the calls in the CLOSED window, or -1 when the window holds fewer
     * than the minimum number of calls or the breaker is not CLOSED}
     */
    public float failureRate() {
        return rate(1);
    }

    /** {@return the slow-call rate in percent, as {@link #failureRate()}} */
    public float slowCallRate() {
        return rate(2);
    }

    /** {@return the number of calls in the CLOSED window (0 in other states)} */
    public long bufferedCalls() {
        Phase current = phase;
        return current instanceof Closed ? ((Closed) current).window.counts(clock.nanoTime())[0] : 0;
    }

    private float rate(int field) {
        Phase current = phase;
        if (!(current instanceof Closed)) {
            return -1f;
        }
        long[] counts = ((Closed) current).window.counts(clock.nanoTime());
        if (counts[0] == 0 || counts[0] < Math.min(minimumNumberOfCalls, timeBased ? Integer.MAX_VALUE : windowSize)) {
            return -1f;
        }
        return counts[field] * 100f / counts[0];
    }

    /**
     * {@return this breaker as a {@link HealthCheck}: UP when CLOSED or DISABLED, DEGRADED when HALF_OPEN, DOWN when
     * OPEN or FORCED_OPEN; details name the state and the failure and slow-call rates}
     */
    public HealthCheck asHealthCheck() {
        return () -> {
            State state = state();
            HealthStatus status;
            switch (state) {
                case CLOSED:
                case DISABLED:
                    status = HealthStatus.UP;
                    break;
                case HALF_OPEN:
                    status = HealthStatus.DEGRADED;
                    break;
                default:
                    status = HealthStatus.DOWN;
            }
            String message = status == HealthStatus.UP ? null : "circuit breaker '" + name + "' is " + state;
            return HealthCheckResult.of(status, message)
                    .withDetail("state", state.name())
                    .withDetail("failureRate", failureRate())
                    .withDetail("slowCallRate", slowCallRate())
                    .withDetail("bufferedCalls", bufferedCalls());
        };
    }

    private CallNotPermittedException rejection() {
        Phase current = phase;
        long remaining = current instanceof Open ? ((Open) current).until - clock.nanoTime() : 0;
        return new CallNotPermittedException(name, current.state, remaining);
    }

    @Override
    public String toString() {
        return "CircuitBreaker{" + name + ", " + state() + "}";
    }

    /** A state with what it needs; replaced as a whole, by compare-and-set, on each transition. */
    static class Phase {
        final State state;

        Phase(State state) {
            this.state = state;
        }
    }

    static final class Closed extends Phase {
        final SlidingWindow window;

        Closed(SlidingWindow window) {
            super(State.CLOSED);
            this.window = window;
        }
    }

    static final class Open extends Phase {
        final long until;
        final int reopenings;

        Open(long until, int reopenings) {
            super(State.OPEN);
            this.until = until;
            this.reopenings = reopenings;
        }
    }

    static final class HalfOpen extends Phase {
        final AtomicInteger permits;
        /** Packed completed probes, failed probes, slow probes (21 bits each). */
        final AtomicLong results = new AtomicLong();
        final int reopenings;
        /** When the last probe was permitted (or HALF_OPEN began): the maximum wait counts from here. */
        volatile long lastPermitNanos;

        HalfOpen(int permits, int reopenings, long sinceNanos) {
            super(State.HALF_OPEN);
            this.permits = new AtomicInteger(permits);
            this.reopenings = reopenings;
            this.lastPermitNanos = sinceNanos;
        }

        /** Gives a permit back, never holding more than {@code permitted} (a stray release adds no probe). */
        void release(int permitted) {
            while (true) {
                int available = permits.get();
                if (available >= permitted || permits.compareAndSet(available, available + 1)) {
                    return;
                }
            }
        }

        boolean tryAcquire(long nowNanos) {
            while (true) {
                int available = permits.get();
                if (available <= 0) {
                    return false;
                }
                if (permits.compareAndSet(available, available - 1)) {
                    lastPermitNanos = nowNanos;
                    return true;
                }
            }
        }
    }

    /** Builds a {@link CircuitBreaker}. Not thread-safe; the breaker it builds is. */
    public static final class Builder {
        private final String name;
        private float failureRateThreshold = 50f;
        private float slowCallRateThreshold = 100f;
        private @Nullable Duration slowCallDuration;
        private int windowSize = 100;
        private boolean timeBased;
        private int minimumNumberOfCalls = 10;
        private Duration openDuration = Duration.ofSeconds(60);
        private double openDurationMultiplier = 1.0;
        private @Nullable Duration maxOpenDuration;
        private int permittedCallsInHalfOpen = 10;
        private Duration maxWaitInHalfOpen = Duration.ofSeconds(60);
        private final List<Class<? extends Throwable>> recordOn = new ArrayList<>();
        private @Nullable Predicate<? super Throwable> recordIf;
        private final List<Class<? extends Throwable>> ignore = new ArrayList<>();
        private @Nullable Predicate<Object> recordResult;
        private Clock clock = Clock.system();
        private @Nullable Clock callClock;
        private final List<PolicyListener<? super CircuitBreakerEvent>> listeners = new ArrayList<>();

        private Builder(String name) {
            this.name = Arguments.name(name);
        }

        /**
         * Opens when at least this percentage (above 0, at most 100) of the window failed. Default 50.
         *
         * @param percent the threshold in percent
         * @return this builder
         */
        public Builder failureRateThreshold(float percent) {
            this.failureRateThreshold = Arguments.percentage("failureRateThreshold", percent);
            return this;
        }

        /**
         * Opens when at least this percentage (above 0, at most 100) of the window was slow. Default 100;
         * only applies once {@link #slowCallDuration(Duration)} is set.
         *
         * @param percent the threshold in percent
         * @return this builder
         */
        public Builder slowCallRateThreshold(float percent) {
            this.slowCallRateThreshold = Arguments.percentage("slowCallRateThreshold", percent);
            return this;
        }

        /**
         * Calls that take at least this long are slow. Not set by default: no call is slow.
         *
         * @param duration positive
         * @return this builder
         */
        public Builder slowCallDuration(Duration duration) {
            this.slowCallDuration = Arguments.positive("slowCallDuration", duration);
            return this;
        }

        /**
         * Judges the last {@code calls} calls (1 to 1,000,000). The default, with 100 calls.
         *
         * @param calls the window size in calls
         * @return this builder
         */
        public Builder countBasedWindow(int calls) {
            this.windowSize = Arguments.between("countBasedWindow", calls, 1, CountBasedWindow.MAX_SIZE);
            this.timeBased = false;
            return this;
        }

        /**
         * Judges the calls of the last {@code window}, in whole seconds (1 s to 1 h).
         *
         * @param window the window length
         * @return this builder
         */
        public Builder timeBasedWindow(Duration window) {
            Arguments.positive("timeBasedWindow", window);
            long seconds = (window.toMillis() + 999) / 1000;
            if (seconds > TimeBasedWindow.MAX_SECONDS) {
                throw new IllegalArgumentException("timeBasedWindow must be at most 1 hour, was " + window);
            }
            this.windowSize = (int) seconds;
            this.timeBased = true;
            return this;
        }

        /**
         * Rates are judged only once the window holds this many calls (at least 1). Default 10.
         *
         * @param calls the minimum, at least 1
         * @return this builder
         */
        public Builder minimumNumberOfCalls(int calls) {
            this.minimumNumberOfCalls = Arguments.atLeast("minimumNumberOfCalls", calls, 1);
            return this;
        }

        /**
         * How long the breaker stays OPEN before probing. Default 60 s.
         *
         * @param duration positive
         * @return this builder
         */
        public Builder openDuration(Duration duration) {
            this.openDuration = Arguments.positive("openDuration", duration);
            return this;
        }

        /**
         * Multiplies the open duration each time the probes fail and the breaker reopens (at least 1).
         * Default 1: the open duration does not grow.
         *
         * @param multiplier the growth factor, at least 1
         * @return this builder
         */
        public Builder openDurationMultiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("openDurationMultiplier must be a finite number of at least 1, was " + multiplier);
            }
            this.openDurationMultiplier = multiplier;
            return this;
        }

        /**
         * The longest a growing open duration gets. Default: the open duration.
         *
         * @param duration positive and not below the open duration
         * @return this builder
         */
        public Builder maxOpenDuration(Duration duration) {
            this.maxOpenDuration = Arguments.positive("maxOpenDuration", duration);
            return this;
        }

        /**
         * Probe calls permitted in HALF_OPEN (1 to 1,000,000). Default 10.
         *
         * @param calls the number of probes
         * @return this builder
         */
        public Builder permittedCallsInHalfOpen(int calls) {
            this.permittedCallsInHalfOpen = Arguments.between("permittedCallsInHalfOpen", calls, 1, CountBasedWindow.MAX_SIZE);
            return this;
        }

        /**
         * How long HALF_OPEN waits, after its last probe was permitted, for the probes to report. When a
         * permission request finds every probe out and this has passed, the probes that did not report are
         * taken as lost (a callback that never came, a manual caller that forgot {@link #onSuccess(long)}):
         * the breaker reopens as after failed probes, so a growing open duration grows. Without it such a
         * breaker would stay HALF_OPEN, rejecting every call, forever. Default 60 s: far longer than a call
         * that is bounded by a timeout should take, so slow probes are not cut short, and short enough that a
         * lost probe costs about one default open duration.
         *
         * @param duration positive
         * @return this builder
         */
        public Builder maxWaitInHalfOpen(Duration duration) {
            this.maxWaitInHalfOpen = Arguments.positive("maxWaitInHalfOpen", duration);
            return this;
        }

        /**
         * Records exceptions of these types as failures; once set, other exceptions count as successes.
         *
         * @param types the exception types, subtypes included
         * @return this builder
         */
        @SafeVarargs
        public final Builder recordOn(Class<? extends Throwable>... types) {
            Exceptions.addTypes(recordOn, "recordOn", types);
            return this;
        }

        /**
         * Records exceptions this predicate accepts as failures (in addition to {@link #recordOn} types).
         *
         * @param predicate tested with each exception; must be thread-safe
         * @return this builder
         */
        public Builder recordIf(Predicate<? super Throwable> predicate) {
            this.recordIf = Objects.requireNonNull(predicate, "recordIf");
            return this;
        }

        /**
         * Exceptions of these types count neither as failure nor as success.
         *
         * @param types the exception types, subtypes included
         * @return this builder
         */
        @SafeVarargs
        public final Builder ignore(Class<? extends Throwable>... types) {
            Exceptions.addTypes(ignore, "ignore", types);
            return this;
        }

        /**
         * Records returned values this predicate accepts as failures (for example an HTTP 503 response);
         * the caller still gets the value unchanged. By default every returned value is a success.
         *
         * @param predicate tested with each returned value (possibly null); must be thread-safe
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public Builder recordResult(Predicate<?> predicate) {
            this.recordResult = (Predicate<Object>) Objects.requireNonNull(predicate, "recordResult");
            return this;
        }

        /**
         * The clock for durations and the open time; {@link Clock#system()} by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The clock that times each call: its duration for slow-call judgement and, in a time-based window,
         * the second it is recorded in. It must run on the same time base as {@link #clock(Clock)} (a
         * {@link CoarseClock} over that clock does). Default: that clock, exact. With
         * {@link CoarseClock#system()} timing a call costs two field reads instead of two
         * {@link System#nanoTime()} calls, and durations are accurate to about a millisecond (see
         * {@link CoarseClock} for the trade-off); the open duration and half-open waits still use
         * {@link #clock(Clock)}.
         *
         * @param callClock the clock, on the same time base as {@code clock}
         * @return this builder
         */
        public Builder callClock(Clock callClock) {
            this.callClock = Objects.requireNonNull(callClock, "callClock");
            return this;
        }

        /**
         * Adds a listener for the breaker's events.
         *
         * @param listener called on the calling thread for each event; keep it fast
         * @return this builder
         */
        public Builder listener(PolicyListener<? super CircuitBreakerEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @return the breaker, CLOSED
         * @throws IllegalArgumentException if {@code maxOpenDuration} is below {@code openDuration}
         */
        public CircuitBreaker build() {
            if (maxOpenDuration != null && maxOpenDuration.compareTo(openDuration) < 0) {
                throw new IllegalArgumentException("maxOpenDuration must not be below openDuration (" + openDuration
                        + "), was " + maxOpenDuration);
            }
            return new CircuitBreaker(this);
        }
    }
}
