package dev.resilience.ratelimit;

/**
 * Where {@link LoginProtection} keeps its counts: per subject (username+address, address, optionally
 * username, in that order) a log of failures within the window, reservations included, and a block.
 * Each operation is atomic over all subjects. Implementations are thread-safe.
 */
interface LoginStore {

    /**
     * Reserves an attempt: unless a subject is blocked or has no attempt left, counts {@code token} as
     * a failure of every subject now (given back by {@link #succeed}).
     */
    LoginState reserve(String[] keys, String token);

    /**
     * Keeps {@code token} as a failure (counting it if its reservation is gone) and blocks every subject
     * that has reached its maximum; answers the state after.
     */
    LoginState fail(String[] keys, String token);

    /** Gives {@code token} back and forgets the first subject's failures and block. */
    void succeed(String[] keys, String token);
}
