package dev.resilience.health;

import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How {@link HealthRegistry} runs one check: its timeout, whether it is critical, and the groups it
 * belongs to.
 *
 * <p>Immutable and thread-safe; each {@code with...} method returns a copy. {@link #defaults()}: a
 * 5 s timeout (long enough for a validation query on a busy database; probes do not wait for it
 * because they are served from the cache), critical, member of the {@value HealthRegistry#READINESS}
 * group only: a dependency that is down should take the instance out of the load balancer, not get
 * it restarted by a liveness probe.
 */
public final class CheckOptions {

    private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final CheckOptions DEFAULTS =
            new CheckOptions(Duration.ofSeconds(5), true, Set.of(HealthRegistry.READINESS));

    private final Duration timeout;
    private final boolean critical;
    private final Set<String> groups;

    private CheckOptions(Duration timeout, boolean critical, Set<String> groups) {
        this.timeout = timeout;
        this.critical = critical;
        this.groups = groups;
    }

    /**
     * Timeout 5 s, critical, readiness group.
     *
     * @return the shared default options
     */
    public static CheckOptions defaults() {
        return DEFAULTS;
    }

    /**
     * {@return a copy with this timeout, after which a check that has not answered is reported DOWN}
     *
     * @param timeout greater than 0
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public CheckOptions withTimeout(Duration timeout) {
        Arguments.positive("timeout", timeout);
        return new CheckOptions(timeout, critical, groups);
    }

    /**
     * A copy with this criticality: a critical check that is DOWN makes the service DOWN, a
     * non-critical one makes it DEGRADED.
     *
     * @param critical true for a check the service cannot work without
     * @return a copy; this one is unchanged
     */
    public CheckOptions withCritical(boolean critical) {
        return new CheckOptions(timeout, critical, groups);
    }

    /**
     * A copy that belongs to exactly these groups ({@value HealthRegistry#LIVENESS},
     * {@value HealthRegistry#READINESS} or custom names of lower-case letters, digits, '-' and '_').
     * Every check is part of the overall {@code /health} whatever its groups.
     *
     * @param groups the group names, replacing the current ones
     * @return a copy; this one is unchanged
     * @throws IllegalArgumentException if a group name is malformed
     */
    public CheckOptions withGroups(String... groups) {
        for (String group : groups) {
            if (group == null || !GROUP.matcher(group).matches()) {
                throw new IllegalArgumentException("groups must match " + GROUP + ": " + Arrays.toString(groups));
            }
        }
        return new CheckOptions(timeout, critical, Set.of(groups));
    }

    /**
     * How long a run may take before the check is reported DOWN (default 5 s).
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Whether a DOWN status of the check makes the service DOWN (default true) rather than DEGRADED.
     *
     * @return true for a critical check
     */
    public boolean critical() {
        return critical;
    }

    /** {@return the groups, unmodifiable} */
    public Set<String> groups() {
        return groups;
    }

    @Override
    public String toString() {
        return "CheckOptions{timeout=" + timeout + ", critical=" + critical + ", groups=" + groups + "}";
    }
}
