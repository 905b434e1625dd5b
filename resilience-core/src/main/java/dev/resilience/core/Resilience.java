package dev.resilience.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Several policies applied as one, <b>outermost first</b>: {@code Resilience.of(a, b, c).call(work)}
 * behaves as {@code a.call(() -> b.call(() -> c.call(work)))}.
 *
 * <pre>{@code
 * Policy payments = Resilience.of(
 *     Fallback.of(Receipt.PENDING),   // 1. replaces what is still failing after everything below
 *     retry,                          // 2. retries failures, but not the breaker's rejections
 *     breaker,                        // 3. counts each attempt; rejects fast while OPEN
 *     Timeout.of(Duration.ofSeconds(2)),  // 4. bounds each attempt
 *     bulkhead);                      // 5. limits concurrent attempts
 * Receipt receipt = payments.call(() -> gateway.charge(order));
 * }</pre>
 *
 * <p>This order is the usual one: the fallback sees the final outcome; the retry sees each attempt's
 * failure, and a {@link CallNotPermittedException} from the breaker ends the retrying at once (rejections
 * are not retried unless asked); the breaker records every attempt, timeouts included; the timeout bounds
 * one attempt (put it outside the retry instead to bound the whole call: the retry then sees its deadline
 * and does not start attempts that cannot finish). Each policy is used as built, so one breaker can be
 * shared by several compositions.
 *
 * <p>The chain is linked once, here; a call through it allocates nothing beyond what the policies
 * allocate alone. Other {@link Policy} implementations may be mixed in. Immutable and thread-safe.
 */
public final class Resilience implements Policy {

    private final List<Policy> policies;
    private final ComposablePolicy.Step chain;
    private final ComposablePolicy.AsyncStep asyncChain;

    private Resilience(List<Policy> policies) {
        this.policies = policies;
        ComposablePolicy.Step step = ComposablePolicy.Step.WORK;
        ComposablePolicy.AsyncStep asyncStep = ComposablePolicy.AsyncStep.WORK;
        for (int i = policies.size() - 1; i >= 0; i--) {
            step = ComposablePolicy.Step.of(policies.get(i), step);
            asyncStep = ComposablePolicy.AsyncStep.of(policies.get(i), asyncStep);
        }
        this.chain = step;
        this.asyncChain = asyncStep;
    }

    /**
     * Composes {@code policies}, outermost first.
     *
     * @param policies the policies, outermost first
     * @return the composition
     * @throws IllegalArgumentException if no policy is given
     * @throws NullPointerException     if a policy is null
     */
    public static Resilience of(Policy... policies) {
        return of(List.of(policies));
    }

    /**
     * Composes {@code policies}, outermost first. A {@code Resilience} among them is replaced by its own
     * policies, so nesting compositions costs nothing.
     *
     * @param policies the policies, outermost first
     * @return the composition
     */
    public static Resilience of(List<? extends Policy> policies) {
        Objects.requireNonNull(policies, "policies");
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("policies must not be empty, was []");
        }
        List<Policy> flat = new ArrayList<>();
        for (Policy policy : policies) {
            Objects.requireNonNull(policy, "policy");
            if (policy instanceof Resilience) {
                flat.addAll(((Resilience) policy).policies);
            } else {
                flat.add(policy);
            }
        }
        return new Resilience(List.copyOf(flat));
    }

    /** {@return the policies, outermost first} */
    public List<Policy> policies() {
        return policies;
    }

    @Override
    public <T> T call(Callable<T> work) throws Exception {
        return chain.call(work);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> work) {
        return asyncChain.call(work, null);
    }

    @Override
    public String toString() {
        return "Resilience" + policies;
    }
}
