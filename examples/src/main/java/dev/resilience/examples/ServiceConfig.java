package dev.resilience.examples;

import dev.resilience.ratelimit.RedisBackend;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the example service can be told, read from environment variables. Every value has a
 * default that starts a working service on a machine with nothing installed; {@link #fromEnv(Map)}
 * lists them. Bad values fail at start with a message naming the variable (never echoing a secret).
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows no password or token.
 *
 * @param bindAddress        {@code BIND_ADDRESS}, default {@code 127.0.0.1} (a demo should not listen on
 *                           every interface by default; use {@code 0.0.0.0} in a container)
 * @param port               {@code PORT}, default 8080; 0 picks a free port
 * @param database           {@code DATABASE_URL} or {@code PGHOST}..., empty: start an embedded PostgreSQL
 * @param redisUri           {@code REDIS_URI}, empty: in-memory rate limiting
 * @param redisTimeout       {@code REDIS_TIMEOUT}, how long a Redis command may take before the limiter
 *                           decides in memory, default 50ms (the library's default)
 * @param redisKeyPrefix     {@code REDIS_KEY_PREFIX}, default {@code resilience-example:}, at most 58 characters
 * @param apiLimit           {@code API_RATE_LIMIT}, default {@code 100/15m} per client IP on {@code /api/**}
 * @param trustedProxies     {@code TRUSTED_PROXIES}, comma-separated addresses or CIDR ranges whose
 *                           {@code X-Forwarded-For} is believed for the client IP; default none
 * @param loginLimit         {@code LOGIN_RATE_LIMIT}, default {@code 5/15m} failed logins per user and IP
 * @param backupDir          {@code BACKUP_DIR}, default {@code ./backups}
 * @param backupSchedule     {@code BACKUP_SCHEDULE}, a cron expression, default {@code 0 2 * * *} (02:00 daily)
 * @param pgBin              {@code PG_BIN}, the folder of {@code pg_dump} and {@code pg_restore}; empty: the
 *                           PATH and the usual install folders
 * @param adminToken         {@code ADMIN_TOKEN}, the bearer token (16 characters or more) of
 *                           {@code /health/detailed} and {@code /admin/**}; empty: those are disabled
 * @param middleware         {@code HTTP_MIDDLEWARE}, {@code on} (default) or {@code off}: the rate limit
 *                           and request metrics filters (off exists to measure their cost)
 * @param dbPoolSize         {@code DB_POOL_SIZE}, the most connections the pool opens, default 20
 * @param dbAcquireTimeout   {@code DB_ACQUIRE_TIMEOUT}, how long a request waits for a database connection, default 30s
 * @param httpThreads        {@code HTTP_THREADS}, handler threads, default 200
 * @param upstreamUrl        {@code UPSTREAM_URL}, empty: the flaky upstream served by this process
 * @param upstreamTimeout    {@code UPSTREAM_TIMEOUT}, default 1s
 * @param shutdownDrain      {@code SHUTDOWN_DRAIN}, how long readiness is DOWN before new requests are
 *                           refused, so load balancers notice, default 5s
 * @param shutdownGrace      {@code SHUTDOWN_GRACE}, how long in-flight requests may then finish, default 20s
 * @param webhook            {@code WEBHOOK_URL} and {@code WEBHOOK_SECRET} (16 characters or more, required with
 *                           the URL): every new order is POSTed there, signed, through the durable queue; empty: no
 *                           order webhooks
 * @param backupEncryptionKey {@code BACKUP_ENCRYPTION_KEY}, 32 random bytes in base64 ({@code openssl rand -base64 32})
 *                           encrypting every backup (AES-256-GCM); empty: backups are not encrypted
 */
public record ServiceConfig(
        String bindAddress,
        int port,
        Optional<DatabaseConfig> database,
        Optional<String> redisUri,
        Duration redisTimeout,
        String redisKeyPrefix,
        RateLimitSpec apiLimit,
        List<String> trustedProxies,
        RateLimitSpec loginLimit,
        Path backupDir,
        String backupSchedule,
        Optional<Path> pgBin,
        Optional<String> adminToken,
        boolean middleware,
        int dbPoolSize,
        Duration dbAcquireTimeout,
        int httpThreads,
        Optional<URI> upstreamUrl,
        Duration upstreamTimeout,
        Duration shutdownDrain,
        Duration shutdownGrace,
        Optional<WebhookTarget> webhook,
        Optional<String> backupEncryptionKey) {

    /** Where order webhooks go, and the secret that signs them ({@link #toString()} hides it). */
    public record WebhookTarget(URI url, String secret) {
        @Override
        public String toString() {
            return url.toString();
        }
    }

    /**
     * The variables that may hold a secret: kept out of the environment of every tool the service
     * starts ({@code pg_dump}, {@code pg_restore}), which would otherwise inherit them.
     */
    public static final List<String> SECRET_VARIABLES = List.of("DATABASE_URL", "PGPASSWORD", "REDIS_URI", "ADMIN_TOKEN",
            "BACKUP_ENCRYPTION_KEY", "WEBHOOK_SECRET");

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    /** The rate limiter's key prefix limit (64) less the {@code login:} the login counters add. */
    static final int MAX_KEY_PREFIX = 58;
    private static final Pattern LIMIT = Pattern.compile("(\\d+)/(.+)");

    /** A number of permits per window, written {@code 100/15m}. */
    public record RateLimitSpec(int permits, Duration window) {

        /** @throws IllegalArgumentException when permits is not positive or the window not positive */
        public RateLimitSpec {
            if (permits < 1) {
                throw new IllegalArgumentException("permits must be positive but was " + permits);
            }
            if (window.isZero() || window.isNegative()) {
                throw new IllegalArgumentException("window must be positive but was " + window);
            }
        }

        @Override
        public String toString() {
            return permits + " per " + format(window);
        }
    }

    /**
     * Reads the configuration from {@code env} (usually {@link System#getenv()}).
     *
     * @throws IllegalArgumentException naming the variable when a value cannot be used
     */
    public static ServiceConfig fromEnv(Map<String, String> env) {
        Reader read = new Reader(env);
        return new ServiceConfig(
                read.text("BIND_ADDRESS").orElse("127.0.0.1"),
                read.integer("PORT", 8080, 0, 65_535),
                database(env),
                read.text("REDIS_URI").map(u -> read.redisUri("REDIS_URI", u)),
                read.duration("REDIS_TIMEOUT", "50ms", false),
                read.maxLength("REDIS_KEY_PREFIX", MAX_KEY_PREFIX).orElse("resilience-example:"),
                read.limit("API_RATE_LIMIT", "100/15m"),
                read.text("TRUSTED_PROXIES").map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList())
                        .orElse(List.of()),
                read.limit("LOGIN_RATE_LIMIT", "5/15m"),
                Path.of(read.text("BACKUP_DIR").orElse("backups")),
                read.text("BACKUP_SCHEDULE").orElse("0 2 * * *"),
                read.text("PG_BIN").map(Path::of),
                read.secret("ADMIN_TOKEN", 16),
                read.onOff("HTTP_MIDDLEWARE", true),
                read.integer("DB_POOL_SIZE", 20, 1, 1000),
                read.duration("DB_ACQUIRE_TIMEOUT", "30s", false),
                read.integer("HTTP_THREADS", 200, 1, 10_000),
                read.text("UPSTREAM_URL").map(u -> read.uri("UPSTREAM_URL", u)),
                read.duration("UPSTREAM_TIMEOUT", "1s", false),
                read.duration("SHUTDOWN_DRAIN", "5s", true),
                read.duration("SHUTDOWN_GRACE", "20s", false),
                webhook(read),
                read.text("BACKUP_ENCRYPTION_KEY").map(k -> read.backupKey("BACKUP_ENCRYPTION_KEY", k)));
    }

    private static Optional<WebhookTarget> webhook(Reader read) {
        Optional<URI> url = read.text("WEBHOOK_URL").map(u -> read.uri("WEBHOOK_URL", u));
        Optional<String> secret = read.secret("WEBHOOK_SECRET", 16);
        if (url.isPresent() && secret.isEmpty()) {
            throw new IllegalArgumentException("WEBHOOK_SECRET must be set (16 characters or more) when WEBHOOK_URL is: it"
                    + " signs the webhooks");
        }
        return url.map(u -> new WebhookTarget(u, secret.get()));
    }

    private static Optional<DatabaseConfig> database(Map<String, String> env) {
        String url = env.get("DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return Optional.of(DatabaseConfig.fromUrl(url));
        }
        String host = env.get("PGHOST");
        if (host != null && !host.isBlank()) {
            return Optional.of(DatabaseConfig.fromPgVariables(env));
        }
        return Optional.empty();
    }

    /**
     * Parses {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT15M}).
     *
     * @throws IllegalArgumentException when the text is neither
     */
    static Duration parseDuration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(value);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use 500ms, 30s, 15m, 2h, 1d or ISO-8601 like PT15M");
        }
    }

    /** {@code 15m}, {@code 30s} or {@code 500ms}: the short form this configuration reads. */
    public static String format(Duration d) {
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    @Override
    public String toString() {
        return "ServiceConfig[" + bindAddress + ":" + port + ", database=" + database.map(Object::toString).orElse("embedded")
                + ", redis=" + (redisUri.isPresent() ? "configured" : "in-memory") + ", apiLimit=" + apiLimit
                + ", loginLimit=" + loginLimit + ", backupDir=" + backupDir + ", backupSchedule=" + backupSchedule
                + ", admin=" + (adminToken.isPresent() ? "on" : "off")
                + ", backupEncryption=" + (backupEncryptionKey.isPresent() ? "on" : "off") + ", middleware=" + (middleware ? "on" : "off")
                + ", httpThreads=" + httpThreads + ", webhook=" + webhook.map(Object::toString).orElse("off") + "]";
    }

    /** Reads single variables and names the variable in every error. */
    private record Reader(Map<String, String> env) {

        Optional<String> text(String name) {
            return Optional.ofNullable(env.get(name)).map(String::strip).filter(s -> !s.isEmpty());
        }

        int integer(String name, int defaultValue, int min, int max) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed < min || parsed > max) {
                    throw new NumberFormatException();
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number in " + min + ".." + max + " but was '"
                        + value.get() + "'");
            }
        }

        Optional<String> maxLength(String name, int maxLength) {
            Optional<String> value = text(name);
            if (value.isPresent() && value.get().length() > maxLength) {
                throw new IllegalArgumentException(name + " must be at most " + maxLength + " characters but has "
                        + value.get().length());
            }
            return value;
        }

        Optional<String> secret(String name, int minLength) {
            Optional<String> value = text(name);
            if (value.isPresent() && value.get().length() < minLength) {
                // the value itself is never echoed
                throw new IllegalArgumentException(name + " must be at least " + minLength + " characters but has "
                        + value.get().length());
            }
            return value;
        }

        boolean onOff(String name, boolean defaultValue) {
            return text(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "on", "true", "1", "yes" -> true;
                case "off", "false", "0", "no" -> false;
                default -> throw new IllegalArgumentException(name + " must be on or off but was '" + v + "'");
            }).orElse(defaultValue);
        }

        Duration duration(String name, String defaultValue, boolean zeroAllowed) {
            String value = text(name).orElse(defaultValue);
            try {
                Duration d = parseDuration(value);
                if (d.isNegative() || d.isZero() && !zeroAllowed) {
                    throw new IllegalArgumentException("it must be positive but was " + value);
                }
                return d;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }

        RateLimitSpec limit(String name, String defaultValue) {
            String value = text(name).orElse(defaultValue);
            Matcher m = LIMIT.matcher(value);
            try {
                if (!m.matches()) {
                    throw new IllegalArgumentException("'" + value + "' is not <permits>/<window>");
                }
                return new RateLimitSpec(Integer.parseInt(m.group(1)), parseDuration(m.group(2)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must look like 100/15m: " + e.getMessage(), e);
            }
        }

        /** Checked as the rate limiter will read it; the message hides any password the URI holds. */
        String redisUri(String name, String value) {
            try {
                RedisBackend.builder().uri(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must look like redis://[:password@]host:6379[/db]: " + e.getMessage());
            }
        }

        /** 32 bytes in base64; the message never echoes the value. */
        String backupKey(String name, String value) {
            try {
                byte[] key = Base64.getDecoder().decode(value);
                if (key.length != 32) {
                    throw new IllegalArgumentException(name + " must be 32 bytes in base64 (openssl rand -base64 32) but decodes to "
                            + key.length + " bytes");
                }
                return value;
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(name)) {
                    throw e;
                }
                throw new IllegalArgumentException(name + " must be 32 bytes in base64 (openssl rand -base64 32) but is not base64");
            }
        }

        URI uri(String name, String value) {
            try {
                URI uri = URI.create(value);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException("no scheme or host");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must be an http(s) URL but was '" + value + "'", e);
            }
        }
    }
}
