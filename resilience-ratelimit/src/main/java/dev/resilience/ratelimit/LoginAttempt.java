package dev.resilience.ratelimit;

import java.time.Duration;

/**
 * What {@link LoginProtection} says about a login attempt: blocked or not, the time left when
 * blocked, and the failures still allowed for this username from this address. The answer has the
 * same shape whether or not the username exists. Immutable and thread-safe.
 */
public final class LoginAttempt {

    private final boolean blocked;
    private final long retryAfterNanos;
    private final long remainingAttempts;

    LoginAttempt(boolean blocked, long retryAfterNanos, long remainingAttempts) {
        this.blocked = blocked;
        this.retryAfterNanos = blocked ? Math.max(retryAfterNanos, 1) : 0;
        this.remainingAttempts = blocked ? 0 : remainingAttempts;
    }

    /** True when the attempt must be refused without checking the password. */
    public boolean blocked() {
        return blocked;
    }

    /** Time until the block ends; zero when not blocked. */
    public Duration retryAfter() {
        return Duration.ofNanos(retryAfterNanos);
    }

    /** Failures this username may still have from this address before being blocked. */
    public long remainingAttempts() {
        return remainingAttempts;
    }

    @Override
    public String toString() {
        return blocked ? "blocked{retryAfter " + retryAfter() + "}" : "allowed{remainingAttempts " + remainingAttempts + "}";
    }
}
