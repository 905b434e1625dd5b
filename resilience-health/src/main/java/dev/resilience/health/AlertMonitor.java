package dev.resilience.health;

import dev.resilience.core.Clock;
import dev.resilience.core.Scheduler;
import dev.resilience.core.internal.Arguments;
import dev.resilience.health.internal.DaemonThreads;
import dev.resilience.health.internal.RepeatingTask;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates {@link AlertRule}s on a schedule and drives each alert through PENDING, FIRING and
 * RESOLVED, telling the notifiers once per transition to FIRING or RESOLVED (de-duplication: a rule
 * that keeps holding fires once; the next occurrence after it clears is a new alert).
 *
 * <p>An operator can acknowledge an alert ({@link #resolve(String)}, {@code POST /alerts/{id}/resolve}):
 * it becomes RESOLVED at once and the rule stays quiet until its condition has cleared, so an
 * acknowledged problem does not fire again every round.
 *
 * <p>Thread-safe. Defaults: evaluation every 15 s after {@link #start()}, resolved alerts listed for
 * 1 h (at most 100), the system clock, the library's default scheduler, notifications on one daemon
 * thread the monitor owns. Conditions run on that thread too, never on the scheduler's.
 */
public final class AlertMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertMonitor.class);
    private static final int MAX_RESOLVED = 100;

    private final List<AlertRule> rules;
    private final List<AlertNotifier> notifiers;
    private final MeterRegistry meters;
    /** Null when the rules read an empty (UP) report. */
    private final @Nullable HealthRegistry health;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Executor executor;
    /** The executor this monitor created (and shuts down); null when the host gave one. */
    private final @Nullable ExecutorService ownedExecutor;
    private final Duration interval;
    private final Duration resolvedRetention;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, RuleState> states = new LinkedHashMap<>();
    private final Deque<Alert> resolved = new ArrayDeque<>();
    private long sequence;
    private final RepeatingTask schedule;

    /** What {@link #config()} reports. */
    private final Config config;

    private AlertMonitor(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.notifiers = List.copyOf(b.notifiers);
        this.meters = b.meters;
        this.health = b.health;
        this.clock = b.clock;
        this.scheduler = b.scheduler;
        this.interval = b.interval;
        this.resolvedRetention = b.resolvedRetention;
        Executor given = b.executor;
        if (given == null) {
            ExecutorService own = Executors.newSingleThreadExecutor(DaemonThreads.named("resilience-alerts"));
            ownedExecutor = own;
            executor = own;
        } else {
            ownedExecutor = null;
            executor = given;
        }
        for (AlertRule rule : rules) {
            states.put(rule.name(), new RuleState(rule));
        }
        this.schedule = new RepeatingTask(scheduler, executor, interval, this::evaluate);
        this.config = new Config(rules.stream().map(AlertRule::name).toList(), notifiers.size(), health != null, interval,
                resolvedRetention, ownedExecutor != null);
    }

    /**
     * {@return a builder reading meters from {@code meters}}
     *
     * @param meters the registry the conditions read (the one {@link RequestMetrics} records into)
     */
    public static Builder builder(MeterRegistry meters) {
        return new Builder(Objects.requireNonNull(meters, "meters"));
    }

    /** Starts evaluating every interval, the first round one interval from now. Idempotent. */
    public void start() {
        schedule.start(false);
    }

    /** Runs one evaluation round now (the schedule calls this; tests and operators may too). */
    public void evaluate() {
        List<Alert> transitions = new ArrayList<>();
        lock.lock();
        try {
            Instant now = clock.now();
            long nanos = clock.nanoTime();
            AlertContext context = new AlertContext(meters,
                    health != null ? health::report : () -> HealthReport.of(List.of(), now), now);
            for (RuleState state : states.values()) {
                Alert transition = state.evaluate(context, now, nanos);
                if (transition != null) {
                    transitions.add(transition);
                }
            }
            prune(now);
        } finally {
            lock.unlock();
        }
        transitions.forEach(this::dispatch);
    }

    /**
     * Acknowledges an alert: a PENDING or FIRING one becomes RESOLVED (notifiers are told) and its rule
     * stays quiet until the condition clears. Resolving an already resolved alert returns it unchanged.
     *
     * @param id the alert's id, as listed by {@link #alerts()}
     * @return the alert after the call, or empty if no alert has this id
     */
    public Optional<Alert> resolve(String id) {
        Alert acknowledged = null;
        Alert found = null;
        lock.lock();
        try {
            for (RuleState state : states.values()) {
                if (state.current != null && state.current.id().equals(id)) {
                    boolean wasFiring = state.current.state() == AlertState.FIRING;
                    found = state.current.resolved(clock.now(), true);
                    state.current = null;
                    state.silenced = true;
                    resolved.addFirst(found);
                    if (wasFiring) {
                        acknowledged = found;
                    }
                    log.info("Alert {} acknowledged", id);
                    break;
                }
            }
            if (found == null) {
                found = resolved.stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
            }
        } finally {
            lock.unlock();
        }
        if (acknowledged != null) {
            dispatch(acknowledged);
        }
        return Optional.ofNullable(found);
    }

    /**
     * Pending and firing alerts in rule order, then resolved ones still retained, newest first.
     *
     * @return a snapshot, safe to keep
     */
    public List<Alert> alerts() {
        lock.lock();
        try {
            prune(clock.now());
            List<Alert> all = new ArrayList<>();
            for (RuleState state : states.values()) {
                if (state.current != null) {
                    all.add(state.current);
                }
            }
            all.addAll(resolved);
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the rules, in registration order} */
    public List<AlertRule> rules() {
        return rules;
    }

    private void prune(Instant now) {
        Instant oldest = now.minus(resolvedRetention);
        while (!resolved.isEmpty()
                && (resolved.size() > MAX_RESOLVED || resolvedBefore(resolved.getLast(), oldest))) {
            resolved.removeLast();
        }
    }

    /** Whether a resolved alert (they all carry the time) was resolved before {@code instant}. */
    private static boolean resolvedBefore(Alert alert, Instant instant) {
        Instant at = alert.resolvedAt();
        return at != null && at.isBefore(instant);
    }

    private void dispatch(Alert alert) {
        executor.execute(() -> {
            for (AlertNotifier notifier : notifiers) {
                try {
                    notifier.notify(alert);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    log.warn("Notifier {} failed for alert {}: {}", notifier, alert.id(), e.toString());
                }
            }
        });
    }

    /** Stops the schedule and the notification thread this monitor created. */
    @Override
    public void close() {
        schedule.stop();
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    private final class RuleState {
        final AlertRule rule;
        /** The pending or firing alert; null while the condition is not met (or silenced). */
        @Nullable Alert current;
        long pendingSinceNanos;
        boolean silenced;

        RuleState(AlertRule rule) {
            this.rule = rule;
        }

        /** Returns the alert if this round moved it to FIRING or RESOLVED. */
        @Nullable Alert evaluate(AlertContext context, Instant now, long nanos) {
            boolean met;
            try {
                met = rule.condition().isMet(context);
            } catch (RuntimeException e) {
                log.warn("Alert rule {} failed to evaluate, treated as not met: {}", rule.name(), e.toString());
                met = false;
            }
            if (!met) {
                silenced = false;
                Alert was = current;
                current = null;
                if (was != null && was.state() == AlertState.FIRING) {
                    Alert done = was.resolved(now, false);
                    resolved.addFirst(done);
                    return done;
                }
                return null;
            }
            if (silenced) {
                return null;
            }
            if (current == null) {
                current = new Alert(rule.name() + "-" + ++sequence, rule.name(), rule.severity(), rule.summary(),
                        AlertState.PENDING, now, null, null, false);
                pendingSinceNanos = nanos;
            }
            if (current.state() == AlertState.PENDING && nanos - pendingSinceNanos >= rule.forDuration().toNanos()) {
                current = current.firing(now);
                return current;
            }
            return null;
        }
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of an {@link AlertMonitor}.
     *
     * @param rules the rules' names, in registration order
     * @param notifiers how many notifiers receive firing and resolved alerts
     * @param health whether conditions read a {@link HealthRegistry}'s report (else an empty, UP one)
     * @param interval time between two evaluation rounds (default 15 s)
     * @param resolvedRetention how long resolved alerts stay listed (default 1 h)
     * @param ownExecutor whether the monitor runs rounds on its own daemon thread (the default) rather than
     *     on an executor the host gave
     */
    public record Config(List<String> rules, int notifiers, boolean health, Duration interval, Duration resolvedRetention,
                         boolean ownExecutor) {
    }

    /** Builds an {@link AlertMonitor}. Not thread-safe. */
    public static final class Builder {
        private final MeterRegistry meters;
        private final List<AlertRule> rules = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private final List<AlertNotifier> notifiers = new ArrayList<>();
        private @Nullable HealthRegistry health;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.defaultScheduler();
        private @Nullable Executor executor;
        private Duration interval = Duration.ofSeconds(15);
        private Duration resolvedRetention = Duration.ofHours(1);

        private Builder(MeterRegistry meters) {
            this.meters = meters;
        }

        /**
         * Adds a rule.
         *
         * @param rule a rule whose name no other rule of this monitor has
         * @return this builder
         * @throws IllegalArgumentException if a rule of the same name was added
         */
        public Builder rule(AlertRule rule) {
            Objects.requireNonNull(rule, "rule");
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("rule name is already used: " + rule.name());
            }
            rules.add(rule);
            return this;
        }

        /**
         * Adds several rules, for example {@link AlertRules#defaults}.
         *
         * @param rules rules with names unique within this monitor
         * @return this builder
         */
        public Builder rules(List<AlertRule> rules) {
            rules.forEach(this::rule);
            return this;
        }

        /**
         * Adds a notifier; with none, alerts are only visible on {@code /alerts}.
         *
         * @param notifier called on the monitor's executor for every firing and resolved alert
         * @return this builder
         */
        public Builder notifier(AlertNotifier notifier) {
            notifiers.add(Objects.requireNonNull(notifier, "notifier"));
            return this;
        }

        /**
         * The health registry whose report conditions read; without one, the report is empty (UP).
         *
         * @param health the registry whose report {@link AlertContext#health()} returns
         * @return this builder
         */
        public Builder health(HealthRegistry health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /**
         * How often rules are evaluated. Default 15 s (Prometheus' usual evaluation interval).
         *
         * @param interval the time between two evaluation rounds
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder interval(Duration interval) {
            Arguments.positive("interval", interval);
            this.interval = interval;
            return this;
        }

        /**
         * How long resolved alerts stay listed. Default 1 h.
         *
         * @param retention 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder resolvedRetention(Duration retention) {
            Arguments.notNegative("resolvedRetention", retention);
            this.resolvedRetention = retention;
            return this;
        }

        /**
         * The time source for {@code for} durations and alert times (default {@link Clock#system()}).
         *
         * @param clock tests pass a {@code ManualClock}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Schedules the evaluation rounds (default {@link Scheduler#defaultScheduler()}).
         *
         * @param scheduler tests pass a manual one
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Where evaluation rounds and notifications run. Default: one daemon thread the monitor owns.
         * Tests pass {@code Runnable::run} to run everything on the thread that advances the clock.
         *
         * @param executor runs rounds and notifications
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds the monitor; rounds run once {@link AlertMonitor#start()} is called.
         *
         * @return a thread-safe monitor
         */
        public AlertMonitor build() {
            return new AlertMonitor(this);
        }
    }
}
