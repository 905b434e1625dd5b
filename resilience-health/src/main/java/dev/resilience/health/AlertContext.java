package dev.resilience.health;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link AlertCondition} may look at during one evaluation round: the meters, the health of
 * the checks (computed at most once per round) and the time. Not thread-safe; used by one round.
 */
public final class AlertContext {

    private final MeterRegistry meters;
    private final Supplier<HealthReport> healthSource;
    private final Instant now;
    /** Computed on the first {@link #health()} call of the round. */
    private @Nullable HealthReport health;

    /**
     * Creates a context; the monitor does this once per round, tests of custom conditions may too.
     *
     * @param meters the registry conditions read meters from
     * @param health computes the health report; called at most once per context
     * @param now the round's time
     */
    public AlertContext(MeterRegistry meters, Supplier<HealthReport> health, Instant now) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.healthSource = Objects.requireNonNull(health, "health");
        this.now = Objects.requireNonNull(now, "now");
    }

    /**
     * The registry conditions read meters from.
     *
     * @return the monitor's meter registry
     */
    public MeterRegistry meters() {
        return meters;
    }

    /** {@return the overall health report, computed on first use in this round} */
    public HealthReport health() {
        if (health == null) {
            health = healthSource.get();
        }
        return health;
    }

    /**
     * The time of this round, the same for every rule.
     *
     * @return the round's time
     */
    public Instant now() {
        return now;
    }
}
