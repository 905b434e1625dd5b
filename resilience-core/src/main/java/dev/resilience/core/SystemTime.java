package dev.resilience.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The system implementations of {@link Clock}, {@link Sleeper} and {@link Scheduler}. */
final class SystemTime implements Clock, Sleeper, Scheduler {

    static final SystemTime INSTANCE = new SystemTime();

    private SystemTime() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isZero() || duration.isNegative()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        return Executor.INSTANCE.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "SystemTime";
    }

    /** Holder so the thread starts only when something is first scheduled. */
    private static final class Executor {
        static final ScheduledExecutorService INSTANCE = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "resilience-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
