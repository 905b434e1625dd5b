package dev.resilience.health.internal;

import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import dev.resilience.core.Scheduler;
import dev.resilience.health.CheckOptions;
import dev.resilience.health.CheckReport;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one check with a timeout and caches its last report. At most one run of a check is under way
 * at any time: concurrent callers share it, so a storm of probes reaches the dependency once.
 *
 * <p>Each check has its own executor of at most one thread (named after the check, created on demand,
 * gone after a minute idle), and a new run is only handed to it once the previous run's code has
 * returned. A check that hangs and ignores interrupts therefore pins exactly one thread, its own, and
 * never delays another check: until its code returns, each refresh reports it DOWN at once without
 * starting it again. Thread-safe.
 */
public final class CheckRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckRunner.class);

    private final String name;
    private final HealthCheck check;
    private final CheckOptions options;
    private final Clock clock;
    private final ExecutorService executor;
    private final Scheduler scheduler;
    private final long ttlNanos;

    private final AtomicReference<Run> inFlight = new AtomicReference<>();
    /** True from handing a run to the executor until the check's code returns, even long after a timeout. */
    private final AtomicBoolean running = new AtomicBoolean();
    /** The latest completed run; null until the check first completes. */
    private volatile @Nullable Cached last;

    public CheckRunner(String name, HealthCheck check, CheckOptions options, Clock clock, Scheduler scheduler,
            Duration ttl) {
        this.name = name;
        this.check = check;
        this.options = options;
        this.clock = clock;
        ThreadPoolExecutor ownThread = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named("resilience-health-check-" + name));
        ownThread.allowCoreThreadTimeOut(true);
        this.executor = ownThread;
        this.scheduler = scheduler;
        this.ttlNanos = ttl.toNanos();
    }

    public String name() {
        return name;
    }

    public CheckOptions options() {
        return options;
    }

    /**
     * The cached report if it is younger than the TTL; otherwise starts a refresh (unless one is under
     * way) and returns the stale report, or null when the check never completed.
     */
    public @Nullable CheckReport cachedOrRefresh() {
        Cached cached = last;
        if (cached == null || clock.nanoTime() - cached.nanos >= ttlNanos) {
            startRefresh();
        }
        return cached == null ? null : cached.report;
    }

    /** The report of the run under way or just completed; completes at the latest after the timeout. */
    public CompletableFuture<CheckReport> await() {
        Cached cached = last;
        Run current = inFlight.get();
        if (current == null) {
            return cached != null ? CompletableFuture.completedFuture(cached.report)
                    : refresh().thenApply(c -> c.report);
        }
        return current.thenApply(c -> c.report);
    }

    /**
     * Starts a run unless one is under way, without waiting for it: its outcome is read from the cache
     * ({@link #cachedOrRefresh()}), a failing check being a DOWN report.
     */
    public void startRefresh() {
        CompletableFuture<Cached> unused = refresh();
    }

    /** Starts a run unless one is under way; returns the run's future. */
    public CompletableFuture<Cached> refresh() {
        while (true) {
            Run current = inFlight.get();
            if (current != null) {
                return current;
            }
            Run mine = new Run();
            if (inFlight.compareAndSet(null, mine)) {
                start(mine);
                return mine;
            }
        }
    }

    private void start(Run run) {
        long started = clock.nanoTime();
        if (!running.compareAndSet(false, true)) {
            // the previous run hangs: starting another would pile threads onto a dead dependency
            complete(run, HealthCheckResult.down("check still running after its timeout of " + options.timeout()),
                    started);
            return;
        }
        Future<?> timer = scheduler.schedule(() -> {
            if (complete(run, HealthCheckResult.down("timed out after " + options.timeout()), started)) {
                Future<?> task = run.task;
                if (task != null) {
                    task.cancel(true);
                }
            }
        }, options.timeout());
        try {
            run.task = executor.submit(() -> {
                execute(run, started);
                timer.cancel(false);
            });
        } catch (RejectedExecutionException e) {
            running.set(false);
            timer.cancel(false);
            complete(run, HealthCheckResult.down("health registry is closed"), started);
        }
    }

    private void execute(Run run, long started) {
        if (run.claimed.get()) {
            running.set(false);
            return;
        }
        HealthCheckResult result;
        try {
            result = check.check();
            if (result == null) {
                result = HealthCheckResult.down("check returned no result");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = HealthCheckResult.down("interrupted");
        } catch (Exception | LinkageError | AssertionError e) {
            // only the message reaches the report; the stack trace goes to the log at debug level
            log.debug("Health check {} threw", name, e);
            result = HealthCheckResult.down(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        } finally {
            // cleared before the result is published, so whoever it wakes up may start the next run
            running.set(false);
        }
        complete(run, result, started);
    }

    /** Stops the check's thread (interrupting a run under way). */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * Publishes the result of a run unless its timeout or its check got there first. The cache is
     * updated and the run cleared before the future completes, so whoever the future wakes up sees
     * the new result and can start the next run.
     */
    private boolean complete(Run run, HealthCheckResult result, long started) {
        if (!run.claimed.compareAndSet(false, true)) {
            return false;
        }
        long now = clock.nanoTime();
        Cached previous = last;
        HealthStatus status = result.status();
        Instant at = clock.now();
        Instant changed = previous != null && previous.report.status() == status ? previous.report.lastChange() : at;
        CheckReport report = new CheckReport(name, status, result.message(), result.details(),
                Duration.ofNanos(now - started), at, changed, options.critical(), options.groups());
        Cached next = new Cached(report, now);
        last = next;
        inFlight.compareAndSet(run, null);
        run.complete(next);
        if (previous == null || previous.report.status() != status) {
            logChange(previous, report);
        }
        return true;
    }

    private void logChange(@Nullable Cached previous, CheckReport report) {
        String from = previous == null ? "UNKNOWN" : previous.report.status().name();
        if (previous == null && report.status() == HealthStatus.UP) {
            // the first result being UP is what a start is expected to give: not news
            log.debug("Health check {} is UP", name);
        } else if (report.status() == HealthStatus.UP) {
            log.info("Health check {} is {} (was {})", name, report.status(), from);
        } else {
            log.warn("Health check {} is {} (was {}): {}", name, report.status(), from, report.message());
        }
    }

    /** A completed run: its report and the monotonic time it finished. */
    public static final class Cached {
        final CheckReport report;
        final long nanos;

        Cached(CheckReport report, long nanos) {
            this.report = report;
            this.nanos = nanos;
        }

        public CheckReport report() {
            return report;
        }
    }

    /** One run of the check: completed once, by the check or by its timeout, whichever claims it first. */
    private static final class Run extends CompletableFuture<Cached> {
        final AtomicBoolean claimed = new AtomicBoolean();
        /** The executor's task, set right after submitting; null until then. */
        volatile @Nullable Future<?> task;
    }
}
