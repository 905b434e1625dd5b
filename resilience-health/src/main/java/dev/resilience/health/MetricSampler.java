package dev.resilience.health;

import dev.resilience.core.Clock;
import dev.resilience.core.Scheduler;
import dev.resilience.core.internal.Arguments;
import dev.resilience.health.internal.RepeatingTask;
import dev.resilience.health.internal.SampleRing;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * Keeps the last N samples (default 1000) of every meter of a registry, for {@code /metrics/{name}}:
 * every interval (default 10 s, so 1000 samples cover the last 2 h 46 min) it reads each meter's
 * measurements (a counter's count, a gauge's value, a timer's count, total time and max) into a
 * ring buffer per meter (name and tags). Meters removed from the registry lose their history.
 *
 * <p>Memory: about {@code capacity x (8 + 8 x statistics)} bytes per meter, around 32 KB for a timer
 * with the default capacity; restrict what is sampled with {@link Builder#filter(Predicate)}.
 *
 * <p>Thread-safe. Nothing runs until {@link #start()}; {@link #sample()} takes one round at once.
 */
public final class MetricSampler implements AutoCloseable {

    private final MeterRegistry registry;
    private final int capacity;
    private final Clock clock;
    private final Predicate<Meter.Id> filter;
    private final ConcurrentMap<Meter.Id, Series> series = new ConcurrentHashMap<>();
    private final RepeatingTask schedule;

    /** What {@link #config()} reports. */
    private final Config config;

    private MetricSampler(Builder b) {
        this.registry = b.registry;
        this.capacity = b.capacity;
        this.clock = b.clock;
        this.filter = b.filter;
        this.schedule = new RepeatingTask(b.scheduler, Runnable::run, b.interval, this::sample);
        this.config = new Config(capacity, b.interval);
    }

    /**
     * A builder sampling the meters of {@code registry}: 1000 samples per meter, every 10 s.
     *
     * @param registry the registry to read
     * @return the builder
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /** Samples now and then every interval. Idempotent. */
    public void start() {
        schedule.start(true);
    }

    /** Takes one sample of every meter now. */
    public void sample() {
        long now = clock.currentTimeMillis();
        Set<Meter.Id> seen = new HashSet<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            if (!filter.test(id)) {
                continue;
            }
            seen.add(id);
            List<String> statistics = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (Measurement measurement : meter.measure()) {
                statistics.add(measurement.getStatistic().getTagValueRepresentation());
                values.add(measurement.getValue());
            }
            double[] sample = values.stream().mapToDouble(Double::doubleValue).toArray();
            series.computeIfAbsent(id, key -> new Series(statistics, new SampleRing(capacity))).ring.add(now, sample);
        }
        series.keySet().retainAll(seen);
    }

    /**
     * The samples of every meter of this name, one entry per tag combination: {@code tags},
     * {@code statistics} and {@code samples} (oldest first, each {@code time} and {@code values}).
     * Empty when no meter of this name was sampled.
     *
     * @param name a meter name, such as {@code http.server.requests}
     * @return the series, a new list
     */
    public List<Map<String, Object>> samples(String name) {
        List<Map<String, Object>> out = new ArrayList<>();
        series.forEach((id, s) -> {
            if (!id.getName().equals(name)) {
                return;
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (Tag tag : id.getTagsAsIterable()) {
                tags.put(tag.getKey(), tag.getValue());
            }
            List<Map<String, Object>> samples = new ArrayList<>();
            for (Object[] entry : s.ring.snapshot()) {
                Map<String, Object> sample = new LinkedHashMap<>();
                sample.put("time", Instant.ofEpochMilli((Long) entry[0]).toString());
                sample.put("values", entry[1]);
                samples.add(sample);
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("tags", tags);
            one.put("statistics", s.statistics);
            one.put("samples", samples);
            out.add(one);
        });
        return out;
    }

    /** Stops sampling. */
    @Override
    public void close() {
        schedule.stop();
    }

    private static final class Series {
        final List<String> statistics;
        final SampleRing ring;

        Series(List<String> statistics, SampleRing ring) {
            this.statistics = List.copyOf(statistics);
            this.ring = ring;
        }
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link MetricSampler}.
     *
     * @param capacity samples kept per meter (default 1000); the oldest go first
     * @param interval time between two samples (default 10 s)
     */
    public record Config(int capacity, Duration interval) {
    }

    /** Builds a {@link MetricSampler}. Not thread-safe. */
    public static final class Builder {
        private final MeterRegistry registry;
        private int capacity = 1000;
        private Duration interval = Duration.ofSeconds(10);
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.defaultScheduler();
        private Predicate<Meter.Id> filter = id -> true;

        private Builder(MeterRegistry registry) {
            this.registry = registry;
        }

        /**
         * Samples kept per meter. Default 1000.
         *
         * @param capacity at least 1; memory grows with it per meter
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /**
         * Time between samples. Default 10 s.
         *
         * @param interval greater than 0
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder interval(Duration interval) {
            Arguments.positive("interval", interval);
            this.interval = interval;
            return this;
        }

        /**
         * Which meters to sample. Default all.
         *
         * @param filter true for the meters to sample; called from the sampling thread
         * @return this builder
         */
        public Builder filter(Predicate<Meter.Id> filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * The time stamped on samples (default {@link Clock#system()}).
         *
         * @param clock tests pass a {@code ManualClock}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Schedules the sampling (default {@link Scheduler#defaultScheduler()}).
         *
         * @param scheduler tests pass a manual one
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the sampler; sampling starts with {@link MetricSampler#start()}.
         *
         * @return a thread-safe sampler
         */
        public MetricSampler build() {
            return new MetricSampler(this);
        }
    }
}
