package dev.resilience.queue.micrometer;

import dev.resilience.queue.AttemptOutcome;
import dev.resilience.queue.QueueStats;
import dev.resilience.queue.TaskQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of one {@link TaskQueue}, tagged {@code queue} (the schema) and, where it applies,
 * {@code type} (the task types this instance handles, a bounded set) and {@code outcome}:
 * <ul>
 *   <li>{@code resilience.queue.depth} (gauge, per type): tasks ready to run now</li>
 *   <li>{@code resilience.queue.oldest.ready} (gauge, seconds): how long the oldest ready task has waited</li>
 *   <li>{@code resilience.queue.dead} (gauge): tasks in the dead letter queue</li>
 *   <li>{@code resilience.queue.in.flight} (gauge): handlers running in this instance</li>
 *   <li>{@code resilience.queue.attempts} (counter, per type and outcome)</li>
 *   <li>{@code resilience.queue.handler.duration} (timer, per type)</li>
 * </ul>
 * The database gauges read one {@link TaskQueue#stats()} snapshot, taken at most once per
 * {@code refresh} (default 10 s) when a gauge is read; they show NaN while the database is unreachable.
 * Thread-safe.
 */
public final class QueueMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(QueueMetrics.class);

    private final TaskQueue queue;
    private final long refreshNanos;
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private volatile @Nullable QueueStats last;
    private volatile long lastRead;
    private volatile boolean lastFailed = true;
    private volatile boolean read;

    private QueueMetrics(MeterRegistry registry, TaskQueue queue, Duration refresh) {
        this.registry = registry;
        this.queue = queue;
        this.refreshNanos = refresh.toNanos();
    }

    /**
     * Registers the meters of {@code queue} with {@code registry}, refreshing database gauges every 10 s at most.
     *
     * @param registry where to register
     * @param queue    the queue to measure
     * @return the metrics, to keep or ignore
     */
    public static QueueMetrics bindTo(MeterRegistry registry, TaskQueue queue) {
        return bindTo(registry, queue, Duration.ofSeconds(10));
    }

    /**
     * Registers the meters of {@code queue} with {@code registry}.
     *
     * @param registry where to register
     * @param queue    the queue to measure
     * @param refresh  how long database gauges reuse one reading; zero reads on every scrape
     * @return the metrics, to keep or ignore
     * @throws IllegalArgumentException if {@code refresh} is negative
     */
    public static QueueMetrics bindTo(MeterRegistry registry, TaskQueue queue, Duration refresh) {
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("refresh must not be negative, was " + refresh);
        }
        QueueMetrics metrics = new QueueMetrics(registry, queue, refresh);
        String name = queue.schema();
        for (String type : queue.types()) {
            metrics.gauge("resilience.queue.depth", "Tasks ready to run now", null,
                    s -> s.byType().containsKey(type) ? s.byType().get(type).ready() : 0, type);
            for (AttemptOutcome outcome : AttemptOutcome.values()) {
                metrics.attempts.put(type + "/" + outcome, Counter.builder("resilience.queue.attempts")
                        .description("Finished attempts by outcome").tag("queue", name).tag("type", type)
                        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
            }
            metrics.durations.put(type, Timer.builder("resilience.queue.handler.duration")
                    .description("How long handlers ran").tag("queue", name).tag("type", type).register(registry));
        }
        metrics.gauge("resilience.queue.oldest.ready", "Age of the oldest task ready to run", "seconds",
                s -> s.oldestReady().toMillis() / 1000.0, null);
        metrics.gauge("resilience.queue.dead", "Tasks in the dead letter queue", null, QueueStats::dead, null);
        Gauge.builder("resilience.queue.in.flight", queue, TaskQueue::inFlight).description("Handlers running here")
                .tag("queue", name).register(registry);
        queue.addListener((type, outcome, took) -> {
            Counter counter = metrics.attempts.get(type + "/" + outcome);
            Timer timer = metrics.durations.get(type);
            if (counter != null && timer != null) {
                counter.increment();
                timer.record(took);
            }
        });
        return metrics;
    }

    private void gauge(String meter, String description, @Nullable String unit, ToDoubleFunction<QueueStats> value,
                       @Nullable String type) {
        Gauge.Builder<QueueMetrics> builder = Gauge.builder(meter, this, m -> {
            QueueStats s = m.snapshot();
            return s == null ? Double.NaN : value.applyAsDouble(s);
        }).description(description).tag("queue", queue.schema()).baseUnit(unit);
        if (type != null) {
            builder.tag("type", type);
        }
        builder.register(registry);
    }

    private @Nullable QueueStats snapshot() {
        long now = System.nanoTime();
        if (!read || now - lastRead >= refreshNanos) {
            read = true;
            try {
                last = queue.stats();
                lastFailed = false;
            } catch (RuntimeException e) {
                lastFailed = true;
                LOG.debug("queue stats unavailable: {}", e.toString());
            }
            lastRead = now;
        }
        return lastFailed ? null : last;
    }
}
