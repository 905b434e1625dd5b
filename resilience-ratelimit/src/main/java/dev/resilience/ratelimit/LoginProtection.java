package dev.resilience.ratelimit;

import dev.resilience.ratelimit.internal.Keys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Brute-force protection for a login endpoint. It counts failed logins per username and address, per
 * address (many usernames tried from one place) and optionally per username (one account attacked
 * from many places); after too many failures in {@link Builder#window(Duration) the window} the
 * subject is blocked for {@link Builder#blockDuration(Duration) blockDuration}, or, with
 * {@link Builder#growingBlocks(Duration) growingBlocks}, for twice as long at each new block within a
 * day (up to a maximum).
 *
 * <pre>{@code
 * LoginAttempt attempt = protection.check(username, clientIp);
 * if (attempt.blocked()) return tooManyRequests(attempt.retryAfter());
 * if (passwordMatches(username, password)) { protection.onSuccess(username, clientIp); ... }
 * else { protection.onFailure(username, clientIp); return unauthorized(); }
 * }</pre>
 *
 * <p>It never looks users up, so it cannot reveal whether a username exists: call
 * {@link #onFailure} for unknown usernames exactly as for wrong passwords, and answer both the same.
 * Usernames are stored only hashed (case-insensitively). A success resets the username+address count
 * and block, not the address-wide ones.
 *
 * <p>The counts live in {@link RateLimiter}s created by {@link Builder#limiters(BiFunction)}: in memory
 * by default, or in Redis with its in-memory fallback via {@link Builder#redis(RedisBackend)}.
 * Thread-safe.
 */
public final class LoginProtection implements AutoCloseable {

    /** Failure counters: per username+address, per address, then optionally per username. */
    private final List<RateLimiter> failures;
    private final RateLimiter blocks;
    /** Blocks started per subject in the last day; null when blocks do not grow. */
    private final RateLimiter strikes;
    private final int maxBlockPermits;
    private final List<RateLimiter> owned;

    private LoginProtection(Builder builder) {
        BiFunction<String, RateLimitPolicy, RateLimiter> factory = builder.factory;
        List<RateLimiter> list = new ArrayList<>();
        list.add(factory.apply("login-user-ip", RateLimitPolicy.of(Limit.slidingWindow("uipfail", builder.maxFailures, builder.window))));
        list.add(factory.apply("login-ip", RateLimitPolicy.of(Limit.slidingWindow("ipfail", builder.maxFailuresPerAddress, builder.window))));
        if (builder.maxFailuresPerUsername > 0) {
            list.add(factory.apply("login-user", RateLimitPolicy.of(Limit.slidingWindow("userfail", builder.maxFailuresPerUsername, builder.window))));
        }
        this.failures = List.copyOf(list);
        // A block is a token bucket refilled one permit per block duration: taking p permits moves its
        // state p block durations into the future, and the subject is blocked until the bucket is full again.
        this.maxBlockPermits = builder.maxBlockPermits;
        this.blocks = factory.apply("login-block",
                RateLimitPolicy.of(Limit.tokenBucket("block", maxBlockPermits, 1, builder.blockDuration)));
        this.strikes = maxBlockPermits == 1 ? null
                : factory.apply("login-strikes", RateLimitPolicy.of(Limit.slidingWindow("strikes", 64, Duration.ofDays(1))));
        List<RateLimiter> all = new ArrayList<>(failures);
        all.add(blocks);
        if (strikes != null) {
            all.add(strikes);
        }
        this.owned = List.copyOf(all);
    }

    /** A builder: 5 failures per 15 minutes per username+address, 50 per address, 15 minutes block. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether {@code username} may try to log in from {@code address} now. Consumes nothing.
     *
     * @throws IllegalArgumentException when the username or address is null
     */
    public LoginAttempt check(String username, String address) {
        List<String> keys = keys(username, address);
        long retryAfter = 0;
        for (String key : keys) {
            retryAfter = Math.max(retryAfter, blocks.tryAcquire(key, 0).resetAfterNanos());
        }
        if (retryAfter > 0) {
            return new LoginAttempt(true, retryAfter, 0);
        }
        return new LoginAttempt(false, 0, failures.get(0).tryAcquire(keys.get(0), 0).remaining());
    }

    /**
     * Records a failed login (wrong password or unknown user) and blocks every subject that has now
     * reached its maximum. Returns the state after this failure.
     */
    public LoginAttempt onFailure(String username, String address) {
        List<String> keys = keys(username, address);
        for (int i = 0; i < failures.size(); i++) {
            Decision counted = failures.get(i).tryAcquire(keys.get(i));
            if ((!counted.allowed() || counted.remaining() == 0) && blocks.tryAcquire(keys.get(i), 0).resetAfterNanos() == 0) {
                blocks.tryAcquire(keys.get(i), blockPermits(keys.get(i)));
            }
        }
        return check(username, address);
    }

    /** 1, or with growing blocks 2^(blocks in the last day - 1), at most the longest block. */
    private int blockPermits(String key) {
        if (strikes == null) {
            return 1;
        }
        Decision strike = strikes.tryAcquire(key);
        long previous = strike.allowed() ? strike.limit() - strike.remaining() - 1 : 63;
        return (int) Math.min(maxBlockPermits, 1L << Math.min(previous, 30));
    }

    /** Records a successful login: forgets this username+address's failures and block. */
    public void onSuccess(String username, String address) {
        String key = keys(username, address).get(0);
        failures.get(0).reset(key);
        blocks.reset(key);
    }

    /** Closes the limiters this protection created. */
    @Override
    public void close() {
        owned.forEach(RateLimiter::close);
    }

    private List<String> keys(String username, String address) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(address, "address");
        String user = Keys.hashed(username.trim().toLowerCase(Locale.ROOT));
        String ip = Keys.bounded(address);
        List<String> keys = new ArrayList<>(3);
        keys.add("uip:" + user + "@" + ip);
        keys.add("ip:" + ip);
        if (failures.size() > 2) {
            keys.add("user:" + user);
        }
        return keys;
    }

    /** Builds a {@link LoginProtection}. Not thread-safe. */
    public static final class Builder {
        private int maxFailures = 5;
        private int maxFailuresPerAddress = 50;
        private int maxFailuresPerUsername;
        private Duration window = Duration.ofMinutes(15);
        private Duration blockDuration = Duration.ofMinutes(15);
        private int maxBlockPermits = 1;
        private BiFunction<String, RateLimitPolicy, RateLimiter> factory =
                (name, policy) -> InMemoryRateLimiter.builder(name, policy).build();

        private Builder() {
        }

        /**
         * Failures per username+address in the window before blocking (default 5).
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxFailures(int failures) {
            this.maxFailures = (int) Checks.positive("maxFailures", failures);
            return this;
        }

        /**
         * Failures per address, whatever the username, before blocking the address (default 50: high
         * enough for an office behind one NAT address, low enough to stop a password spray).
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxFailuresPerAddress(int failures) {
            this.maxFailuresPerAddress = (int) Checks.positive("maxFailuresPerAddress", failures);
            return this;
        }

        /**
         * Failures per username, from any address, before blocking the username (default off). Beware:
         * anyone can then lock a known user out.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxFailuresPerUsername(int failures) {
            this.maxFailuresPerUsername = (int) Checks.positive("maxFailuresPerUsername", failures);
            return this;
        }

        /**
         * The window failures are counted in (default 15 minutes).
         *
         * @throws IllegalArgumentException unless between 1 ms and 366 days
         */
        public Builder window(Duration window) {
            Limit.slidingWindow("check", 1, window); // validates
            this.window = window;
            return this;
        }

        /**
         * How long a subject stays blocked (default 15 minutes).
         *
         * @throws IllegalArgumentException unless between 1 ms and 366 days
         */
        public Builder blockDuration(Duration duration) {
            Limit.tokenBucket("check", 1, 1, duration); // validates
            this.blockDuration = duration;
            return this;
        }

        /**
         * Makes blocks grow for repeat offenders: each new block of a subject within a day lasts twice
         * the previous one, from {@link #blockDuration} up to {@code maxBlockDuration} (default: blocks
         * do not grow). Set it after {@code blockDuration}.
         *
         * @throws IllegalArgumentException unless {@code maxBlockDuration} is at least {@code blockDuration}
         *     and at most 366 days
         */
        public Builder growingBlocks(Duration maxBlockDuration) {
            Objects.requireNonNull(maxBlockDuration, "maxBlockDuration");
            if (maxBlockDuration.compareTo(blockDuration) < 0 || maxBlockDuration.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException("maxBlockDuration must be between blockDuration (" + blockDuration
                        + ") and 366 days: " + maxBlockDuration);
            }
            this.maxBlockPermits = (int) Math.min(1 << 20, maxBlockDuration.toNanos() / blockDuration.toNanos());
            return this;
        }

        /** Creates the limiters holding the counts, by name and policy (default: in memory). */
        public Builder limiters(BiFunction<String, RateLimitPolicy, RateLimiter> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Keeps the counts in Redis (key prefix {@code login:}), with the in-memory fallback. */
        public Builder redis(RedisBackend backend) {
            Objects.requireNonNull(backend, "backend");
            return limiters((name, policy) -> RedisRateLimiter.builder(name, policy).backend(backend).keyPrefix("login:").build());
        }

        public LoginProtection build() {
            return new LoginProtection(this);
        }
    }
}
