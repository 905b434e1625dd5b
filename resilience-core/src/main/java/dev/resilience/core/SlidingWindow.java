package dev.resilience.core;

/**
 * The recent outcomes a {@link CircuitBreaker} judges in its CLOSED state. Implementations are lock-free;
 * recording a plain success touches at most one shared counter and allocates nothing.
 */
interface SlidingWindow {

    /** An outcome is a bit set: present, failed, slow. */
    int SUCCESS = 1;
    int FAILURE = 1 | 2;
    int SLOW_SUCCESS = 1 | 4;
    int SLOW_FAILURE = 1 | 2 | 4;

    static boolean isFailure(int outcome) {
        return (outcome & 2) != 0;
    }

    static boolean isSlow(int outcome) {
        return (outcome & 4) != 0;
    }

    /**
     * Records an outcome observed at {@code nowNanos}.
     *
     * @return true when the window holds at least the minimum number of calls and a rate reaches its
     *         threshold; judged after failed or slow outcomes, and after a success only while a count
     *         window fills up (it may be the call that reaches the minimum)
     */
    boolean record(int outcome, long nowNanos);

    /** {calls, failed calls, slow calls} in the window as of {@code nowNanos}. */
    long[] counts(long nowNanos);

    /** True when these counts trip the breaker. */
    static boolean exceeds(long calls, long failures, long slow, int minimumCalls, float failureRateThreshold,
            float slowCallRateThreshold) {
        if (calls < minimumCalls || calls == 0) {
            return false;
        }
        return failures * 100.0 >= failureRateThreshold * calls
                || slow * 100.0 >= slowCallRateThreshold * calls;
    }
}
