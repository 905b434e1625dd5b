package dev.resilience.health;

import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthStatus;
import dev.resilience.core.Scheduler;
import dev.resilience.core.internal.Arguments;
import dev.resilience.health.internal.CheckRunner;
import dev.resilience.health.internal.RepeatingTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of named {@link HealthCheck}s, run in parallel on a bounded executor, each with a timeout,
 * a criticality and groups ({@link CheckOptions}).
 *
 * <p>Results are cached for {@link Builder#cacheTtl(Duration) a TTL}. A probe that finds a stale
 * result gets it at once while one refresh runs in the background; only the very first probe of a
 * check waits, at most for the check's timeout. Concurrent probes share one run, so a storm of probes
 * reaches the dependency once. With {@link Builder#refreshInBackground(Duration)} the checks are also
 * refreshed on a schedule after {@link #start()}. One that throws is DOWN with the exception's message,
 * never its stack trace.
 *
 * <p>Each check runs on its own thread (at most one, named {@code resilience-health-check-<name>-N},
 * created on demand and ended after a minute idle), so checks never wait for each other. A check that
 * has not answered after its timeout is DOWN ({@code timed out after ...}) and its thread is
 * interrupted; if its code ignores the interrupt and never returns, it keeps that one thread and no
 * other: it is not started again while its code still runs (each refresh reports it DOWN at once,
 * {@code check still running after its timeout of ...}), and every other check keeps running and
 * reporting. The threads a registry can hold are thus bounded by its number of checks.
 *
 * <p>Thread-safe. Defaults: cache TTL 5 s, the system clock and the library's default scheduler (which
 * only completes timeouts). Close it to stop the background refresh and the checks' threads.
 */
public final class HealthRegistry implements MeterBinder, AutoCloseable {

    /** The group checked by liveness probes: only what a restart would fix. */
    public static final String LIVENESS = "liveness";
    /** The group checked by readiness probes: what this instance needs to serve traffic. */
    public static final String READINESS = "readiness";

    private static final Logger log = LoggerFactory.getLogger(HealthRegistry.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final Map<String, CheckRunner> checks;
    private final Clock clock;
    /** Why the instance is out of service; null while in service. */
    private volatile @Nullable String notReadyReason;
    /** Null unless a refresh interval was set. */
    private final @Nullable RepeatingTask backgroundRefresh;

    /** What {@link #config()} reports. */
    private final Config config;

    private HealthRegistry(Builder b) {
        this.clock = b.clock;
        Duration refreshInterval = b.refreshInterval;
        this.backgroundRefresh = refreshInterval == null ? null
                : new RepeatingTask(b.scheduler, Runnable::run, refreshInterval, this::refreshAll);
        Map<String, CheckRunner> runners = new LinkedHashMap<>();
        b.checks.forEach((name, spec) -> runners.put(name, new CheckRunner(name, spec.check, spec.options, clock,
                b.scheduler, b.cacheTtl)));
        this.checks = Collections.unmodifiableMap(runners);
        this.config = new Config(Collections.unmodifiableMap(options(b)), b.cacheTtl, Optional.ofNullable(refreshInterval));
    }

    /** {@return a builder with the defaults described on this class} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The report over every check (the {@code /health} endpoint); out of service while
     * {@link #markNotReady(String)} is in effect.
     *
     * @return a report computed from each check's cached result, refreshing stale ones in the background
     */
    public HealthReport report() {
        return collect(new ArrayList<>(checks.values()), true);
    }

    /**
     * {@return the report over the checks of one group} An empty group is UP. While {@link #markNotReady(String)}
     * is in effect the {@value #READINESS} group is out of service; the others are unaffected.
     *
     * @param group a group name, such as {@value #LIVENESS} or {@value #READINESS}
     */
    public HealthReport report(String group) {
        Objects.requireNonNull(group, "group");
        List<CheckRunner> members = new ArrayList<>();
        for (CheckRunner runner : checks.values()) {
            if (runner.options().groups().contains(group)) {
                members.add(runner);
            }
        }
        return collect(members, READINESS.equals(group));
    }

    /** {@return every group some check belongs to} */
    public Set<String> groups() {
        Set<String> groups = new TreeSet<>();
        for (CheckRunner runner : checks.values()) {
            groups.addAll(runner.options().groups());
        }
        return groups;
    }

    /** {@return the names of the registered checks in registration order} */
    public List<String> names() {
        return List.copyOf(checks.keySet());
    }

    /**
     * Takes the instance out of service from now on until {@link #markReady()}, whatever the checks
     * say: the overall report and the {@value #READINESS} group are out of service, so {@code /health}
     * and the readiness probe answer 503 ({@code OUT_OF_SERVICE}) and load balancers stop sending
     * traffic. Liveness, other groups and the checks themselves are unaffected. {@link GracefulShutdown}
     * calls this first; call it yourself during warm-up or a maintenance window.
     *
     * @param reason shown in the reports, for example "warming up"; never put a secret in it
     */
    public void markNotReady(String reason) {
        this.notReadyReason = Objects.requireNonNull(reason, "reason");
        log.info("Marked out of service: {}", reason);
    }

    /** Puts the instance back in service after {@link #markNotReady(String)} (end of warm-up or maintenance). */
    public void markReady() {
        if (notReadyReason != null) {
            notReadyReason = null;
            log.info("Marked back in service");
        }
    }

    /** {@return whether {@link #markNotReady(String)} is in effect} */
    public boolean isMarkedNotReady() {
        return notReadyReason != null;
    }

    private HealthReport collect(List<CheckRunner> runners, boolean affectedByReadiness) {
        List<CheckReport> reports = new ArrayList<>(runners.size() + 1);
        List<CompletableFuture<CheckReport>> pending = null;
        // first trigger every stale check so that the ones nobody has seen yet run in parallel
        for (CheckRunner runner : runners) {
            CheckReport cached = runner.cachedOrRefresh();
            reports.add(cached);
            if (cached == null) {
                if (pending == null) {
                    pending = new ArrayList<>();
                }
                pending.add(runner.await());
            }
        }
        if (pending != null) {
            int next = 0;
            for (int i = 0; i < reports.size(); i++) {
                if (reports.get(i) == null) {
                    reports.set(i, pending.get(next++).join());
                }
            }
        }
        return withReadiness(HealthReport.of(reports, clock.now()), affectedByReadiness);
    }

    private HealthReport withReadiness(HealthReport report, boolean affectedByReadiness) {
        String notReady = notReadyReason;
        return affectedByReadiness && notReady != null ? report.outOfService(notReady) : report;
    }

    /**
     * Starts refreshing every check in the background when {@link Builder#refreshInBackground(Duration)}
     * was set; otherwise does nothing (checks then run when probed). Idempotent.
     */
    public void start() {
        if (backgroundRefresh != null) {
            backgroundRefresh.start(true);
        }
    }

    private void refreshAll() {
        for (CheckRunner runner : checks.values()) {
            runner.startRefresh();
        }
    }

    /**
     * Publishes {@code health.status} (1 UP, 0.5 DEGRADED, 0 DOWN: the checks' status, also while out
     * of service), {@code health.score} (at most 49 while out of service) and
     * {@code health.check.status} tagged {@code check}. Reading them never waits for a check: they
     * show the cached results and start a refresh of stale ones.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("health.status", this, r -> valueOf(r.cachedReport().status()))
                .description("Overall health: 1 UP, 0.5 DEGRADED, 0 DOWN").register(registry);
        Gauge.builder("health.score", this, r -> r.cachedReport().score())
                .description("Health score 0-100").register(registry);
        for (CheckRunner runner : checks.values()) {
            Gauge.builder("health.check.status", runner, r -> {
                CheckReport report = r.cachedOrRefresh();
                return report == null ? Double.NaN : valueOf(report.status());
            }).tag("check", runner.name()).description("Check health: 1 UP, 0.5 DEGRADED, 0 DOWN").register(registry);
        }
    }

    private HealthReport cachedReport() {
        List<CheckReport> reports = new ArrayList<>();
        for (CheckRunner runner : checks.values()) {
            CheckReport report = runner.cachedOrRefresh();
            if (report != null) {
                reports.add(report);
            }
        }
        return withReadiness(HealthReport.of(reports, clock.now()), true);
    }

    private static double valueOf(HealthStatus status) {
        return status == HealthStatus.UP ? 1.0 : status == HealthStatus.DEGRADED ? 0.5 : 0.0;
    }

    /** Stops the background refresh and the checks' threads. */
    @Override
    public void close() {
        if (backgroundRefresh != null) {
            backgroundRefresh.stop();
        }
        checks.values().forEach(CheckRunner::close);
    }

    private static Map<String, CheckOptions> options(Builder b) {
        Map<String, CheckOptions> options = new LinkedHashMap<>();
        b.checks.forEach((name, spec) -> options.put(name, spec.options));
        return options;
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link HealthRegistry}.
     *
     * @param checks each check's options (timeout, critical, groups) by name, in registration order
     * @param cacheTtl how long a result is served before a probe triggers a refresh (default 5 s)
     * @param refreshInterval how often {@link HealthRegistry#start()} refreshes every check; empty (the
     *     default) when checks run only on demand
     */
    public record Config(Map<String, CheckOptions> checks, Duration cacheTtl, Optional<Duration> refreshInterval) {
    }

    /** Builds a {@link HealthRegistry}. Not thread-safe; the registry it builds is. */
    public static final class Builder {
        private final Map<String, Spec> checks = new LinkedHashMap<>();
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.defaultScheduler();
        private Duration cacheTtl = Duration.ofSeconds(5);
        private @Nullable Duration refreshInterval;

        private Builder() {
        }

        /**
         * Registers a check with {@link CheckOptions#defaults()}.
         *
         * @param name unique; letters, digits, '_', '.', '-'
         * @param check runs on a thread of its own, at most one run at a time
         * @return this builder
         */
        public Builder check(String name, HealthCheck check) {
            return check(name, check, CheckOptions.defaults());
        }

        /**
         * Registers a check.
         *
         * @param name letters, digits, '.', '-' and '_', unique in this registry
         * @param check runs on a thread of its own, at most one run at a time
         * @param options its timeout, criticality and groups
         * @return this builder
         * @throws IllegalArgumentException if the name is malformed or already registered
         */
        public Builder check(String name, HealthCheck check, CheckOptions options) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw Arguments.invalid("name", "letters, digits, '.', '-' or '_' (" + NAME + ")", "'" + name + "'");
            }
            if (checks.containsKey(name)) {
                throw new IllegalArgumentException("name is already registered: " + name);
            }
            checks.put(name, new Spec(Objects.requireNonNull(check, "check"), Objects.requireNonNull(options, "options")));
            return this;
        }

        /**
         * How long a result is served before the next probe triggers a refresh. Default 5 s.
         *
         * @param ttl 0 or more; 0 refreshes on every probe
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder cacheTtl(Duration ttl) {
            Arguments.notNegative("cacheTtl", ttl);
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * Refreshes every check every {@code interval} once {@link HealthRegistry#start()} is called.
         * Off by default.
         *
         * @param interval the time between two refreshes
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder refreshInBackground(Duration interval) {
            Arguments.positive("refreshInterval", interval);
            this.refreshInterval = interval;
            return this;
        }

        /**
         * The clock for durations, cache age and timestamps. Default {@link Clock#system()}.
         *
         * @param clock the time source; tests pass a {@code ManualClock}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The scheduler for timeouts and background refresh. Default {@link Scheduler#defaultScheduler()}.
         *
         * @param scheduler runs timeouts and refreshes; tests pass a manual one
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the registry; checks run on first use, or on {@link HealthRegistry#start()} with a background refresh.
         *
         * @return a thread-safe registry
         */
        public HealthRegistry build() {
            return new HealthRegistry(this);
        }
    }

    private static final class Spec {
        final HealthCheck check;
        final CheckOptions options;

        Spec(HealthCheck check, CheckOptions options) {
            this.check = check;
            this.options = options;
        }
    }
}
