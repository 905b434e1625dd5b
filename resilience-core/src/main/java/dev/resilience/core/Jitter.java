package dev.resilience.core;

/**
 * How a {@link Backoff} randomises its delays so that clients that failed together do not retry
 * together. The strategies are those of the AWS Architecture Blog analysis "Exponential Backoff and
 * Jitter" (Marc Brooker, 2015), where {@code exp} is the un-jittered delay of the attempt
 * ({@code min(cap, base * multiplier^(retry-1))}):
 * <ul>
 *   <li>{@link #NONE}: {@code exp}</li>
 *   <li>{@link #FULL}: uniform in {@code [0, exp]}; the least total work under contention</li>
 *   <li>{@link #EQUAL}: {@code exp/2} plus uniform in {@code [0, exp/2]}; never retries at once</li>
 *   <li>{@link #DECORRELATED}: {@code min(cap, uniform in [base, previous * 3])}, starting from
 *       {@code previous = base}; grows like exponential on average without a fixed schedule</li>
 * </ul>
 */
public enum Jitter {
    /** No randomisation: the exact exponential or fixed delay. */
    NONE,
    /** Uniform between zero and the exponential delay. */
    FULL,
    /** Half the exponential delay plus uniform up to the other half. */
    EQUAL,
    /** Uniform between the base delay and three times the previous delay, capped. */
    DECORRELATED
}
