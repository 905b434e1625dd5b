package dev.resilience.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A login attempt {@link LoginProtection#attempt(String, String) reserved} before the password check,
 * or the state after its outcome. When {@link #blocked()}, refuse without checking the password.
 * Otherwise the attempt already counts as a failure, and exactly one outcome settles it:
 * {@link #succeeded()} gives it back, {@link #failed()} keeps it (and may block). An attempt whose
 * outcome never comes (the handler crashed) stays counted as a failure, so a lost outcome never gives
 * an attacker a free guess. The answer has the same shape whether or not the username exists.
 *
 * <p>Thread-safe: the outcome is recorded once, by whichever thread comes first.
 */
public final class LoginAttempt {

    private final LoginProtection protection;
    private final String[] keys;
    /** Null when the attempt was blocked: it has no outcome to record. */
    private final @Nullable String token;
    private final boolean local;
    private final boolean blocked;
    private final long retryAfterNanos;
    private final long remainingAttempts;
    private final AtomicBoolean settled;

    LoginAttempt(LoginProtection protection, String[] keys, @Nullable String token, boolean local, LoginState state) {
        this.protection = protection;
        this.keys = keys;
        this.token = token;
        this.local = local;
        this.blocked = state.blocked();
        this.retryAfterNanos = blocked ? Math.max(state.retryAfterNanos(), 1) : 0;
        this.remainingAttempts = blocked ? 0 : state.remaining();
        this.settled = new AtomicBoolean(blocked || token == null);
    }

    /** {@return true when the attempt must be refused without checking the password} */
    public boolean blocked() {
        return blocked;
    }

    /**
     * Time until an attempt could be made; zero when not blocked.
     *
     * @return the wait, rounded up by the caller as it likes; never negative
     */
    public Duration retryAfter() {
        return Duration.ofNanos(retryAfterNanos);
    }

    /**
     * Failures this username may still have from this address (and this address may still have) before
     * a block, counting this attempt as one.
     *
     * @return 0 or more; 0 when blocked
     */
    public long remainingAttempts() {
        return remainingAttempts;
    }

    /**
     * Records a wrong password (or an unknown username): the attempt stays counted and every subject
     * that reached its maximum is blocked. Returns the state after it, which has no outcome of its own.
     *
     * @return the state after the failure: blocked, or the attempts left
     * @throws IllegalStateException when the attempt was blocked or already has an outcome
     */
    public LoginAttempt failed() {
        return protection.fail(keys, settle(), local);
    }

    /**
     * Records a correct password: gives the attempt back and forgets this username+address's failures
     * and block (not the address-wide ones).
     *
     * @throws IllegalStateException when the attempt was blocked or already has an outcome
     */
    public void succeeded() {
        protection.succeed(keys, settle(), local);
    }

    /** Marks the outcome recorded and answers the attempt's token. */
    private String settle() {
        String reserved = token;
        // a null token comes with settled already true: the second test only tells the analysis so
        if (!settled.compareAndSet(false, true) || reserved == null) {
            throw new IllegalStateException(blocked ? "a blocked attempt has no outcome: refuse it without checking the password"
                    : "this attempt's outcome is already recorded");
        }
        return reserved;
    }

    @Override
    public String toString() {
        return blocked ? "blocked{retryAfter " + retryAfter() + "}" : "allowed{remainingAttempts " + remainingAttempts + "}";
    }
}
