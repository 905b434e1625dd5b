package dev.resilience.ratelimit;

/**
 * What a Redis-backed {@link LoginProtection} does while Redis is unavailable (failing or timing out,
 * or its circuit breaker open). In both modes nothing Redis answered is lifted by an outage: every
 * block this instance has seen (it asks Redis at each attempt) keeps holding until it ends.
 */
public enum LoginOutagePolicy {

    /**
     * The default. Blocks seen before the outage hold; every other subject is counted in this process
     * with its share of each maximum ({@link LoginProtection.Builder#instances(int) 1/instances},
     * at least one failure) and blocked there as usual. With n instances an attacker gets at most about
     * the maximum again per subject and window during an outage, and users can still log in.
     */
    LOCAL_SHARE,

    /**
     * Refuses every attempt while Redis is unavailable ({@link LoginAttempt#blocked()} with a retry
     * time): no password is checked, so no one can guess, and no one can log in.
     */
    FAIL_CLOSED
}
