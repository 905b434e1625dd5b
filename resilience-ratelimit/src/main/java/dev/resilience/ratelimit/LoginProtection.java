package dev.resilience.ratelimit;

import dev.resilience.core.CallNotPermittedException;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Clock;
import dev.resilience.core.internal.Arguments;
import dev.resilience.ratelimit.internal.IpAddresses;
import dev.resilience.ratelimit.internal.Keys;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.Normalizer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force protection for a login endpoint. It counts failed logins per username and address, per
 * address (many usernames tried from one place) and optionally per username (one account attacked
 * from many places); once a subject reaches its maximum in {@link Builder#window(Duration) the window}
 * it is blocked for {@link Builder#blockDuration(Duration) blockDuration}, or, with
 * {@link Builder#growingBlocks(Duration) growingBlocks}, for twice as long at each new block within a
 * day (up to a maximum). After a block, its failures are forgotten.
 *
 * <pre>{@code
 * LoginAttempt attempt = protection.attempt(username, clientIp);   // reserves the attempt
 * if (attempt.blocked()) return tooManyRequests(attempt.retryAfter());
 * if (passwordMatches(username, password)) { attempt.succeeded(); ... }
 * else { attempt.failed(); return unauthorized(); }
 * }</pre>
 *
 * <p>An attempt is reserved before the password is checked: it counts as a failure of every subject
 * at once, atomically, and {@link LoginAttempt#succeeded()} gives it back. So however many guesses
 * arrive together, at most the maximum of them reach the password check. With Redis each reservation
 * and each outcome is one round trip ({@code EVALSHA}, Redis server time). While Redis is unavailable
 * the {@link Builder#outagePolicy(LoginOutagePolicy) outage policy} decides; blocks seen before the
 * outage always hold.
 *
 * <p>It never looks users up, so it cannot reveal whether a username exists: record a failure for an
 * unknown username exactly as for a wrong password, and answer both the same. Usernames are stored only
 * hashed (case-insensitively, compatibility forms folded); IPv6 addresses count by their /64. Thread-safe.
 */
public final class LoginProtection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoginProtection.class);
    /** IPv6 addresses are counted by their network: one subscriber usually holds a whole /64. */
    private static final int IPV6_PREFIX = 64;

    private final boolean perUsername;
    /** The counts: in memory, or the outage fallback (holding the blocks Redis reported) when Redis is used. */
    private final InMemoryLoginStore local;
    /** The shared store (Redis or the one the host gave), or null when the counts are in memory only. */
    private final @Nullable LoginStore redis;
    /** Guards the calls to {@link #redis}; null exactly when it is. */
    private final @Nullable CircuitBreaker breaker;
    private final LoginOutagePolicy outagePolicy;
    private final Clock clock;

    /** What {@link #config()} reports. */
    private final Config config;

    private LoginProtection(Builder builder) {
        int[] max = builder.maxFailuresPerUsername > 0
                ? new int[] {builder.maxFailures, builder.maxFailuresPerAddress, builder.maxFailuresPerUsername}
                : new int[] {builder.maxFailures, builder.maxFailuresPerAddress};
        LoginRules rules = new LoginRules(max, builder.window.toNanos(), builder.blockDuration.toNanos(), builder.maxBlockMultiple);
        this.perUsername = max.length == 3;
        this.clock = builder.clock;
        this.outagePolicy = builder.outagePolicy;
        this.redis = builder.store != null ? builder.store
                : builder.backend != null ? new RedisLoginStore(builder.backend, builder.keyPrefix, rules) : null;
        this.local = new InMemoryLoginStore(redis == null ? rules : rules.withShare(1.0 / builder.instances),
                builder.maximumSubjects, clock);
        this.breaker = redis == null ? null : CircuitBreaker.builder("login-protection.redis")
                .countBasedWindow(20).minimumNumberOfCalls(5).failureRateThreshold(50)
                .openDuration(Duration.ofSeconds(1)).openDurationMultiplier(2).maxOpenDuration(Duration.ofSeconds(10))
                .permittedCallsInHalfOpen(1).clock(clock).build();
        this.config = new Config(builder.maxFailures, builder.maxFailuresPerAddress, builder.maxFailuresPerUsername,
                builder.window, builder.blockDuration, builder.maxBlockMultiple, store(builder), builder.keyPrefix, outagePolicy,
                builder.instances, builder.maximumSubjects);
    }

    /** {@return a builder: 5 failures per 15 minutes per username+address, 50 per address, 15 minutes block, in memory} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reserves a login attempt of {@code username} from {@code address}: blocked, or counted as a
     * failure until its {@link LoginAttempt#succeeded() success} gives it back.
     *
     * @param username the name as typed; compared case-insensitively, stored only hashed
     * @param address the client's IP address, as a {@link ClientIpResolver} finds it
     * @return the attempt: blocked, or counted until its outcome is recorded
     * @throws NullPointerException when the username or address is null
     */
    public LoginAttempt attempt(String username, String address) {
        String[] keys = keys(username, address);
        String token = Long.toHexString(ThreadLocalRandom.current().nextLong()) + Long.toHexString(ThreadLocalRandom.current().nextLong());
        LoginStore shared = redis;
        if (shared != null) {
            long heldHere = local.blockLeft(keys); // blocks imposed here during an outage outlast it
            if (heldHere > 0) {
                return new LoginAttempt(this, keys, null, true, new LoginState(true, heldHere, 0, new long[keys.length]));
            }
            LoginState state = callRedis(() -> shared.reserve(keys, token));
            if (state != null) {
                local.holdBlocks(keys, state.blockLeftNanos());
                return new LoginAttempt(this, keys, token, false, state);
            }
            if (outagePolicy == LoginOutagePolicy.FAIL_CLOSED) {
                return new LoginAttempt(this, keys, null, true, new LoginState(true, retryWithoutRedis(), 0, new long[keys.length]));
            }
        }
        return new LoginAttempt(this, keys, token, true, local.reserve(keys, token));
    }

    LoginAttempt fail(String[] keys, String token, boolean reservedLocally) {
        LoginStore shared = redis;
        LoginState state = reservedLocally || shared == null ? null : callRedis(() -> shared.fail(keys, token));
        if (state != null) {
            local.holdBlocks(keys, state.blockLeftNanos());
        } else {
            state = local.fail(keys, token); // a failure is never lost: without Redis, it counts here
        }
        return new LoginAttempt(this, keys, null, true, state);
    }

    void succeed(String[] keys, String token, boolean reservedLocally) {
        LoginStore shared = redis;
        if (!reservedLocally && shared != null) {
            callRedis(() -> {
                shared.succeed(keys, token);
                return new LoginState(false, 0, 0, new long[keys.length]);
            });
        }
        local.succeed(keys, token); // also lifts a block of this username+address held here
    }

    /** The store's answer, or null when Redis failed or the breaker refused the call. */
    private @Nullable LoginState callRedis(Supplier<LoginState> call) {
        CircuitBreaker breaker = this.breaker;
        if (breaker == null || !breaker.tryAcquirePermission()) {
            return null;
        }
        long start = clock.nanoTime();
        try {
            LoginState state = call.get();
            breaker.onSuccess(clock.nanoTime() - start);
            return state;
        } catch (RuntimeException e) {
            breaker.onError(clock.nanoTime() - start, e);
            log.debug("Login protection: Redis call failed, deciding by the outage policy {}", outagePolicy, e);
            return null;
        }
    }

    /** Until the breaker lets a call through again, at least a second. */
    private long retryWithoutRedis() {
        CircuitBreaker breaker = this.breaker;
        if (breaker == null) {
            return Duration.ofSeconds(1).toNanos();
        }
        try {
            breaker.acquirePermission();
            breaker.releasePermission();
        } catch (CallNotPermittedException notPermitted) {
            return Math.max(Duration.ofSeconds(1).toNanos(), notPermitted.remainingOpen().toNanos());
        }
        return Duration.ofSeconds(1).toNanos();
    }

    /** Nothing to release: a Redis backend passed in stays open (it is shared). Idempotent. */
    @Override
    public void close() {
    }

    private String[] keys(String username, String address) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(address, "address");
        String user = Keys.hashed(normalizedUsername(username));
        String ip = Keys.bounded(normalizedAddress(address));
        return perUsername
                ? new String[] {"uip:" + user + "@" + ip, "ip:" + ip, "user:" + user}
                : new String[] {"uip:" + user + "@" + ip, "ip:" + ip};
    }

    /**
     * The username as a case-insensitive database collation may see it: compatibility forms folded
     * (NFKC: full-width letters), format characters dropped (zero-width spaces, soft hyphens), white
     * space stripped at both ends, lower case. So spellings a lookup may take for one user are one
     * subject, not fresh guesses each.
     */
    static String normalizedUsername(String username) {
        String folded = Normalizer.normalize(username, Normalizer.Form.NFKC);
        StringBuilder kept = new StringBuilder(folded.length());
        folded.codePoints().filter(c -> Character.getType(c) != Character.FORMAT).forEach(kept::appendCodePoint);
        return kept.toString().strip().toLowerCase(Locale.ROOT);
    }

    /**
     * An IP address in one spelling (IPv4-mapped IPv6 as IPv4, a port dropped) and an IPv6 address as
     * its /64, which one subscriber usually holds whole (as {@link ClientIpResolver} counts it); anything
     * else as it is.
     */
    static String normalizedAddress(String address) {
        InetAddress ip = IpAddresses.parse(address);
        if (ip == null) {
            return address;
        }
        if (ip instanceof Inet6Address) {
            try {
                return InetAddress.getByAddress(IpAddresses.prefix(ip.getAddress(), IPV6_PREFIX)).getHostAddress() + "/" + IPV6_PREFIX;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // cannot happen: 16 bytes
            }
        }
        return ip.getHostAddress();
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    private static String store(Builder builder) {
        LoginStore store = builder.store;
        RedisBackend backend = builder.backend;
        return store != null ? "custom" : backend != null ? "redis " + backend.description() : "memory";
    }

    /**
     * The effective settings of a {@link LoginProtection}.
     *
     * @param maxFailures failures per username+address in the window before a block (default 5)
     * @param maxFailuresPerAddress failures per address, whatever the username (default 50)
     * @param maxFailuresPerUsername failures per username, whatever the address; 0 (the default) when not counted
     * @param window how far back failures count (default 15 minutes)
     * @param blockDuration how long a first block lasts (default 15 minutes)
     * @param maxBlockMultiple the most a repeated block is multiplied by (default 1: blocks do not grow)
     * @param store where the counts are kept: {@code memory} (the default), {@code redis <hosts>} or {@code custom}
     * @param keyPrefix the prefix of the Redis keys (default {@code login:})
     * @param outagePolicy what happens while Redis is unreachable (default {@link LoginOutagePolicy#LOCAL_SHARE})
     * @param instances how many instances share the limits, for the local share during an outage (default 1)
     * @param maximumSubjects the most subjects counted in memory at once (default 100 000)
     */
    public record Config(int maxFailures, int maxFailuresPerAddress, int maxFailuresPerUsername, Duration window,
                         Duration blockDuration, int maxBlockMultiple, String store, String keyPrefix,
                         LoginOutagePolicy outagePolicy, int instances, long maximumSubjects) {
    }

    /** Builds a {@link LoginProtection}. Not thread-safe. */
    public static final class Builder {
        private int maxFailures = 5;
        private int maxFailuresPerAddress = 50;
        private int maxFailuresPerUsername;
        private Duration window = Duration.ofMinutes(15);
        private Duration blockDuration = Duration.ofMinutes(15);
        private int maxBlockMultiple = 1;
        private @Nullable RedisBackend backend;
        private @Nullable LoginStore store;
        private String keyPrefix = "login:";
        private LoginOutagePolicy outagePolicy = LoginOutagePolicy.LOCAL_SHARE;
        private int instances = 1;
        private long maximumSubjects = 100_000;
        private Clock clock = Clock.system();

        private Builder() {
        }

        /**
         * Failures per username+address in the window before blocking (default 5).
         *
         * @param failures at least 1
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxFailures(int failures) {
            this.maxFailures = (int) Arguments.atLeast("maxFailures", failures, 1);
            return this;
        }

        /**
         * Failures per address, whatever the username, before blocking the address (default 50: high
         * enough for an office behind one NAT address, low enough to stop a password spray).
         *
         * @param failures at least 1
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxFailuresPerAddress(int failures) {
            this.maxFailuresPerAddress = (int) Arguments.atLeast("maxFailuresPerAddress", failures, 1);
            return this;
        }

        /**
         * Failures per username, from any address, before blocking the username (default off). Beware:
         * anyone can then lock a known user out.
         *
         * @param failures at least 1
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxFailuresPerUsername(int failures) {
            this.maxFailuresPerUsername = (int) Arguments.atLeast("maxFailuresPerUsername", failures, 1);
            return this;
        }

        /**
         * The window failures are counted in (default 15 minutes).
         *
         * @param window how far back failures count
         * @return this builder
         * @throws IllegalArgumentException unless between 1 ms and 366 days
         */
        public Builder window(Duration window) {
            this.window = checkDuration("window", window);
            return this;
        }

        /**
         * How long a subject stays blocked (default 15 minutes).
         *
         * @param duration how long a block lasts
         * @return this builder
         * @throws IllegalArgumentException unless between 1 ms and 366 days
         */
        public Builder blockDuration(Duration duration) {
            this.blockDuration = checkDuration("blockDuration", duration);
            return this;
        }

        /**
         * Makes blocks grow for repeat offenders: each new block of a subject within a day of its last
         * lasts twice the previous one, from {@link #blockDuration} up to {@code maxBlockDuration}
         * (default: blocks do not grow). Set it after {@code blockDuration}.
         *
         * @param maxBlockDuration the longest a repeated block may grow to
         * @return this builder
         * @throws IllegalArgumentException unless {@code maxBlockDuration} is at least {@code blockDuration}
         *     and at most 366 days
         */
        public Builder growingBlocks(Duration maxBlockDuration) {
            Objects.requireNonNull(maxBlockDuration, "maxBlockDuration");
            if (maxBlockDuration.compareTo(blockDuration) < 0 || maxBlockDuration.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException("maxBlockDuration must be between blockDuration (" + blockDuration
                        + ") and 366 days: " + maxBlockDuration);
            }
            this.maxBlockMultiple = (int) Math.min(1 << 20, maxBlockDuration.toNanos() / blockDuration.toNanos());
            return this;
        }

        /**
         * Keeps the counts in Redis, shared by every instance (keys {@code {<keyPrefix>}...}), with the
         * {@link #outagePolicy(LoginOutagePolicy) outage policy} while Redis is unavailable. The backend
         * is not closed with this protection.
         *
         * @param backend the Redis connection; the caller closes it
         * @return this builder
         */
        public Builder redis(RedisBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * The prefix of the Redis keys (default {@code login:}); it is also their Cluster hash tag.
         *
         * @param keyPrefix the prefix of every Redis key
         * @return this builder
         * @throws IllegalArgumentException when blank or holding a brace
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.isBlank() || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
                throw Arguments.invalid("keyPrefix", "non-blank and without braces", "'" + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * What to do while Redis is unavailable (default {@link LoginOutagePolicy#LOCAL_SHARE}).
         *
         * @param policy what to do while Redis is unreachable
         * @return this builder
         */
        public Builder outagePolicy(LoginOutagePolicy policy) {
            this.outagePolicy = Objects.requireNonNull(policy, "outagePolicy");
            return this;
        }

        /**
         * How many instances share the Redis counts (default 1): during an outage, in
         * {@link LoginOutagePolicy#LOCAL_SHARE}, each allows 1/instances of each maximum (at least one).
         *
         * @param instances how many instances share the limits, at least 1
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder instances(int instances) {
            this.instances = (int) Arguments.atLeast("instances", instances, 1);
            return this;
        }

        /**
         * The most subjects kept in memory (default 100 000); the least used go first.
         *
         * @param subjects at least 1
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maximumSubjects(long subjects) {
            this.maximumSubjects = Arguments.atLeast("maximumSubjects", subjects, 1);
            return this;
        }

        /**
         * The clock of the in-memory counts (default the system clock; Redis uses its own time).
         *
         * @param clock the time source; tests pass a {@code ManualClock}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Tests: a store standing for Redis. */
        Builder store(LoginStore store) {
            this.store = store;
            return this;
        }

        /**
         * Builds the protection; with {@link #redis(RedisBackend)}, it starts using the connection at once.
         *
         * @return a thread-safe login protection
         */
        public LoginProtection build() {
            return new LoginProtection(this);
        }

        private static Duration checkDuration(String parameter, Duration value) {
            Objects.requireNonNull(value, parameter);
            if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException(parameter + " must be between 1 ms and 366 days: " + value);
            }
            return value;
        }
    }
}
