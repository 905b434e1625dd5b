package dev.resilience.core;

/**
 * The recent outcomes a {@link CircuitBreaker} judges in its CLOSED state. Recording a success into a
 * healthy window takes no lock, touches at most one shared counter and allocates nothing.
 * After every recorded outcome a window reports whether it trips the breaker, judged on its contents at that
 * moment.
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
     * @return true when, with this outcome, the window holds at least the minimum number of calls and a
     *         rate reaches its threshold. Both windows judge every outcome that can change that verdict, so
     *         they open on the same sequence: the count window judges every outcome except a success while
     *         it is full of successes (which changes nothing), the time window every outcome except a
     *         success while no failed or slow call lies in it (which cannot reach a threshold).
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
