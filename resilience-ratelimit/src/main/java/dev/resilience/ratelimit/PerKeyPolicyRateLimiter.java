package dev.resilience.ratelimit;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import dev.resilience.core.internal.Arguments;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Applies a different policy to each key, chosen by a function of the key (the customer's plan, say):
 * each plan is a limiter of its own, and {@link #replace(String, RateLimiter)} swaps a plan's limiter
 * while requests flow, to change its limits at run time.
 *
 * <pre>{@code
 * PerKeyPolicyRateLimiter api = PerKeyPolicyRateLimiter.builder("api", apiKey -> plans.planOf(apiKey))
 *         .plan("free", free).plan("pro", pro).defaultPlan("free").build();
 * api.tryAcquire(apiKey);                 // counted by the limiter of the key's plan
 * api.replace("pro", biggerPro);          // new limits for "pro" from the next request on
 * }</pre>
 *
 * <p>A {@link RedisRateLimiter} built with the same name and limit names (and algorithms) as the one it
 * replaces keeps the counts: its keys carry those names, the quotas come with each call. An
 * {@link InMemoryRateLimiter} replacement starts empty. The replaced limiter is returned, not closed.
 *
 * <p>Thread-safe: the plans are an immutable map swapped atomically.
 */
public final class PerKeyPolicyRateLimiter implements RateLimiter {

    private final String name;
    private final Function<String, ? extends @Nullable String> planOfKey;
    private final String defaultPlan;
    private volatile Map<String, RateLimiter> plans;

    private PerKeyPolicyRateLimiter(Builder builder, String defaultPlan) {
        this.name = builder.name;
        this.planOfKey = builder.planOfKey;
        this.defaultPlan = defaultPlan;
        this.plans = Map.copyOf(builder.plans);
    }

    /**
     * A builder for a limiter named {@code name} choosing a plan for each key with {@code planOfKey}
     * (a null or unknown plan means the default plan).
     *
     * @param name the limiter's name
     * @param planOfKey the plan of a key, or null for the default plan; called on every decision, so it must
     *     be fast and thread-safe
     * @return the builder
     */
    public static Builder builder(String name, Function<String, ? extends @Nullable String> planOfKey) {
        return new Builder(name, planOfKey);
    }

    /**
     * {@return the limiter of {@code key}'s plan}
     *
     * @param key the key, not empty; the default plan's limiter answers when its plan is null or unknown
     */
    public RateLimiter limiterFor(String key) {
        Arguments.notEmpty("key", key);
        Map<String, RateLimiter> current = plans;
        RateLimiter limiter = current.get(Objects.requireNonNullElse(planOfKey.apply(key), defaultPlan));
        return limiter != null ? limiter : defaultLimiter(current);
    }

    /** build() checked that the default plan exists, and replace() never removes a plan. */
    private RateLimiter defaultLimiter(Map<String, RateLimiter> current) {
        return Objects.requireNonNull(current.get(defaultPlan), "the default plan's limiter");
    }

    /**
     * Makes {@code limiter} decide for {@code plan} from now on.
     *
     * @param plan a plan, new or existing
     * @param limiter the plan's limiter from now on
     * @return the limiter it replaces (the caller closes it once no request uses it), or null for a new plan
     */
    public synchronized @Nullable RateLimiter replace(String plan, RateLimiter limiter) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(limiter, "limiter");
        Map<String, RateLimiter> next = new LinkedHashMap<>(plans);
        RateLimiter previous = next.put(plan, limiter);
        plans = Map.copyOf(next);
        return previous;
    }

    @Override
    public String name() {
        return name;
    }

    /** The default plan's policy; each key's is {@code limiterFor(key).policy()}. */
    @Override
    public RateLimitPolicy policy() {
        return defaultLimiter(plans).policy();
    }

    @Override
    public Decision tryAcquire(String key, int permits) {
        return limiterFor(key).tryAcquire(key, permits);
    }

    @Override
    public boolean tryAcquirePermission(String key) {
        return limiterFor(key).tryAcquirePermission(key);
    }

    @Override
    public CompletionStage<Decision> tryAcquireAsync(String key, int permits) {
        try {
            return limiterFor(key).tryAcquireAsync(key, permits);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Penalizes the key in its plan's limiter. */
    @Override
    public void penalize(String key, int permits) {
        limiterFor(key).penalize(key, permits);
    }

    /** Refunds the key in its plan's limiter (the one it has now, should the plan have been replaced since). */
    @Override
    public void refund(String key, int permits) {
        limiterFor(key).refund(key, permits);
    }

    @Override
    public void reset(String key) {
        limiterFor(key).reset(key);
    }

    /** The worst status of the plans' limiters. */
    @Override
    public HealthCheck asHealthCheck() {
        return () -> {
            HealthStatus worst = HealthStatus.UP;
            HealthCheckResult worstResult = HealthCheckResult.up();
            for (RateLimiter limiter : plans.values()) {
                HealthCheckResult result = limiter.asHealthCheck().check();
                if (result.status().worst(worst) != worst) { // strictly worse than the worst so far
                    worst = result.status();
                    worstResult = result;
                }
            }
            return worstResult;
        };
    }

    /** Closes every plan's limiter. */
    @Override
    public void close() {
        plans.values().forEach(RateLimiter::close);
    }

    @Override
    public String toString() {
        return "PerKeyPolicyRateLimiter{" + name + ", plans " + plans.keySet() + ", default " + defaultPlan + "}";
    }

    /** {@return the effective settings: the plans as they are now (after any {@link #replace}), the default included} */
    public Config config() {
        Map<String, RateLimitPolicy> policies = new LinkedHashMap<>();
        plans.forEach((plan, limiter) -> policies.put(plan, limiter.policy()));
        return new Config(name, Collections.unmodifiableMap(policies), defaultPlan);
    }

    /**
     * The effective settings of a {@link PerKeyPolicyRateLimiter}.
     *
     * @param name the limiter's name
     * @param plans each plan's policy, by plan name
     * @param defaultPlan the plan of keys whose plan is null or unknown (default: the first plan added)
     */
    public record Config(String name, Map<String, RateLimitPolicy> plans, String defaultPlan) {
    }

    /** Builds a {@link PerKeyPolicyRateLimiter}. Not thread-safe; the built limiter is. */
    public static final class Builder {
        private final String name;
        private final Function<String, ? extends @Nullable String> planOfKey;
        private final Map<String, RateLimiter> plans = new LinkedHashMap<>();
        private @Nullable String defaultPlan;

        private Builder(String name, Function<String, ? extends @Nullable String> planOfKey) {
            this.name = Arguments.name(name);
            this.planOfKey = Objects.requireNonNull(planOfKey, "planOfKey");
        }

        /**
         * The limiter deciding for keys of {@code plan}.
         *
         * @param plan the plan's name, not blank
         * @param limiter decides for the plan's keys; not closed by this limiter
         * @return this builder
         */
        public Builder plan(String plan, RateLimiter limiter) {
            plans.put(Arguments.notBlank("plan", plan), Objects.requireNonNull(limiter, "limiter"));
            return this;
        }

        /**
         * The plan of keys whose plan is null or unknown (default: the first plan added).
         *
         * @param plan one of the plans added
         * @return this builder
         */
        public Builder defaultPlan(String plan) {
            this.defaultPlan = Arguments.notBlank("plan", plan);
            return this;
        }

        /**
         * Builds the limiter.
         *
         * @return a thread-safe limiter
         * @throws IllegalStateException when no plan was added or the default plan is not one of them
         */
        public PerKeyPolicyRateLimiter build() {
            if (plans.isEmpty()) {
                throw new IllegalStateException("add at least one plan(...) before build()");
            }
            String effectiveDefault = defaultPlan != null ? defaultPlan : plans.keySet().iterator().next();
            if (!plans.containsKey(effectiveDefault)) {
                throw new IllegalStateException("defaultPlan " + effectiveDefault + " is not one of the plans " + plans.keySet());
            }
            return new PerKeyPolicyRateLimiter(this, effectiveDefault);
        }
    }
}
