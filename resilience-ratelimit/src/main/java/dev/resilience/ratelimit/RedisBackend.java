package dev.resilience.ratelimit;

import dev.resilience.ratelimit.internal.RedisScript;
import dev.resilience.redis.RedisConnection;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lettuce connection to Redis (standalone, Sentinel or Cluster) that {@link RedisRateLimiter}s and
 * {@link LoginProtection} share: a {@link RedisConnection} of the {@code resilience-redis} module, which
 * holds the connection handling, with the limiters' defaults and their start-up check. One multiplexed
 * connection serves every limiter; commands time out after {@link Builder#commandTimeout(Duration)
 * commandTimeout} (default 50 ms) and fail at once while disconnected, so a limiter falls back instead of
 * waiting. Building waits up to {@link Builder#connectTimeout(Duration) connectTimeout} (default 1 s) for the
 * first connection; if Redis is not there, building still succeeds, limiters fall back, and connecting is
 * retried in the background. Once connected, Lettuce reconnects in the background (retrying within a
 * second). A background probe ({@code PING} every {@link Builder#probeInterval(Duration) second}) keeps
 * {@link #isReachable()} true to the server's state from start-up, traffic or not.
 *
 * <p>URIs: {@code redis://[password@]host:port[/db]}, {@code rediss://...} (TLS; a private CA through
 * {@link Builder#trustStore(Path)}), {@code redis-sentinel://host:26379,host2:26379/0#mymaster}; a Cluster
 * takes one or more seed URIs ({@link Builder#clusterUris(String...)}). Passwords never appear in logs or
 * exception messages.
 *
 * <p>Thread-safe. Closing it closes the connection and the Lettuce client.
 */
public final class RedisBackend implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisBackend.class);

    private final RedisConnection<String, String> connection;
    private volatile @Nullable String timeRefusedInScripts;

    private RedisBackend(Builder builder) {
        this.connection = builder.connection.build(StringCodec.UTF8, this::checkTimeInScripts);
    }

    /**
     * Whether Redis answered the latest background probe ({@link Builder#probeInterval(Duration) every
     * second} by default, starting with the first connection attempt): false from start-up when Redis
     * cannot be reached, even before any limiter has called it.
     *
     * @return true while the latest probe was answered
     */
    public boolean isReachable() {
        return connection.isReachable();
    }

    /**
     * {@return a backend for one standalone or Sentinel URI with the defaults}
     *
     * @param uri a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URI; its password is never logged
     * @throws IllegalArgumentException when the URI is malformed
     */
    public static RedisBackend create(String uri) {
        return builder().uri(uri).build();
    }

    /** {@return a builder with the defaults: command timeout 50 ms, connect timeout 1 s, a probe every second} */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs {@code script}; fails fast when not connected (and starts connecting). */
    CompletableFuture<List<Object>> run(RedisScript script, String[] keys, String[] args) {
        RedisClusterAsyncCommands<String, String> redis = connection.commandsIfConnected();
        if (redis == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis at " + description()));
        }
        return script.run(redis, keys, args);
    }

    /**
     * The connection's commands, for a script call with arguments encoded beforehand
     * ({@link RedisScript#call}); fails fast when not connected (and starts connecting).
     *
     * @throws IllegalStateException when not connected
     */
    BaseRedisAsyncCommands<String, String> scriptCommands() {
        BaseRedisAsyncCommands<String, String> redis = connection.commandsIfConnected();
        if (redis == null) {
            throw new IllegalStateException("not connected to Redis at " + description());
        }
        return redis;
    }

    /** Deletes keys; fails fast when not connected. */
    CompletableFuture<Long> delete(String... keys) {
        RedisClusterAsyncCommands<String, String> redis = connection.commandsIfConnected();
        if (redis == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis at " + description()));
        }
        return redis.del(keys).toCompletableFuture();
    }

    /**
     * Hosts and ports, without credentials: for logs and health details.
     *
     * @return such as {@code redis-1:6379,redis-2:6379}
     */
    public String description() {
        return connection.description();
    }

    /**
     * True when connected; when the first connection has not been made yet, starts (re)trying it in the
     * background and answers false.
     *
     * @return true when connected now
     */
    public boolean isConnected() {
        return connection.isConnected();
    }

    /** {@return the effective connection settings} */
    public RedisConnection.Config config() {
        return connection.config();
    }

    /**
     * Some managed Redis offerings forbid {@code TIME} in scripts, which the limiters read unless built
     * with {@code clientTime(true)}: find out once connected, so building such a limiter fails with a
     * message that says what to do instead of every call failing.
     */
    private CompletableFuture<?> checkTimeInScripts(RedisClusterAsyncCommands<String, String> redis) {
        return redis.<List<Object>>eval("return redis.call('TIME')", ScriptOutputType.MULTI).toCompletableFuture()
                .handle((time, error) -> {
                    Throwable cause = error == null ? null : RedisScript.unwrap(error);
                    if (cause instanceof RedisCommandExecutionException) {
                        timeRefusedInScripts = cause.getMessage();
                        log.warn("Redis at {} refuses TIME in scripts ({}): rate limiters on it need clientTime(true)",
                                description(), cause.getMessage());
                    }
                    return null;
                });
    }

    /** Redis' answer when it refused {@code TIME} in a script at connection time; null when it allowed it (or is not connected yet). */
    @Nullable String timeRefusedInScripts() {
        return timeRefusedInScripts;
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "RedisBackend{" + description() + "}";
    }

    /**
     * Builds a {@link RedisBackend}: the settings of {@link RedisConnection.Builder} with the limiters'
     * defaults. Not thread-safe; the built backend is.
     */
    public static final class Builder {
        private final RedisConnection.Builder connection = RedisConnection.builder();

        private Builder() {
        }

        /**
         * A standalone ({@code redis://}, {@code rediss://}) or Sentinel ({@code redis-sentinel://}) URI.
         *
         * @param uri the URI; its password is never logged
         * @return this builder
         * @throws IllegalArgumentException when the URI is malformed (the message hides any password)
         */
        public Builder uri(String uri) {
            connection.uri(uri);
            return this;
        }

        /**
         * A standalone server given by its parts rather than a URI, as configuration frameworks hold them
         * (Spring's {@code spring.data.redis.host}, {@code port}, {@code username}, {@code password},
         * {@code ssl.enabled}, {@code database}): the password never has to be written into a URI string.
         *
         * @param host     host name or address
         * @param port     1 to 65535
         * @param username the ACL user; blank logs in as {@code default}
         * @param password the password (copied); empty for none
         * @param ssl      TLS ({@code rediss://})
         * @param database the database index, 0 or more
         * @return this builder
         * @throws NullPointerException when host, username or password is null
         * @throws IllegalArgumentException when the host is blank, the port out of range or the database negative
         */
        public Builder server(String host, int port, String username, char[] password, boolean ssl, int database) {
            connection.server(host, port, username, password, ssl, database);
            return this;
        }

        /**
         * Seed URIs of a Redis Cluster.
         *
         * @param seeds {@code redis://} or {@code rediss://} URIs of some of the nodes
         * @return this builder
         * @throws IllegalArgumentException when there is none or one is malformed
         */
        public Builder clusterUris(String... seeds) {
            connection.clusterUris(seeds);
            return this;
        }

        /**
         * How long a command may take before the limiter falls back (default 50 ms: a rate-limit check
         * must not add noticeable latency, and Redis answers in well under a millisecond when healthy).
         *
         * @param timeout 1 ms to 10 s
         * @return this builder
         * @throws IllegalArgumentException unless between 1 ms and 10 s
         */
        public Builder commandTimeout(Duration timeout) {
            connection.commandTimeout(timeout);
            return this;
        }

        /**
         * How long connecting may take (default 1 s).
         *
         * @param timeout 1 ms to 10 s
         * @return this builder
         * @throws IllegalArgumentException unless between 1 ms and 10 s
         */
        public Builder connectTimeout(Duration timeout) {
            connection.connectTimeout(timeout);
            return this;
        }

        /**
         * How often a background {@code PING} checks that Redis answers (default 1 s), for
         * {@link RedisBackend#isReachable()} and the limiters' health.
         *
         * @param interval 10 ms to 1 minute
         * @return this builder
         * @throws IllegalArgumentException unless between 10 ms and 1 minute
         */
        public Builder probeInterval(Duration interval) {
            connection.probeInterval(interval);
            return this;
        }

        /**
         * How often a Cluster's topology is reloaded even without a sign of change (default 30 s). A
         * redirect ({@code MOVED}, {@code ASK}) or a lost connection reloads it at once in any case (at most
         * once a second); the period catches what sends no such sign (a node added). Not used outside Cluster.
         *
         * @param period 1 s to 1 hour
         * @return this builder
         * @throws IllegalArgumentException unless between 1 s and 1 hour
         */
        public Builder topologyRefreshPeriod(Duration period) {
            connection.topologyRefreshPeriod(period);
            return this;
        }

        /**
         * For {@code rediss://} with a private CA: trust the certificates of this PEM file instead of the
         * JVM's default trust store.
         *
         * @param pemFile a PEM file of one or more CA certificates
         * @return this builder
         * @throws IllegalArgumentException when the file cannot be read or holds no certificate
         * @see RedisConnection.Builder#trustStore(Path)
         */
        public Builder trustStore(Path pemFile) {
            connection.trustStore(pemFile);
            return this;
        }

        /**
         * For {@code rediss://} with a private CA: trust the certificates of this JKS or PKCS12 key store.
         *
         * @param keyStoreFile a JKS or PKCS12 file
         * @param password the store's password (copied); never logged
         * @return this builder
         * @throws IllegalArgumentException when the file cannot be opened with the password or holds no certificate
         * @see RedisConnection.Builder#trustStore(Path, char[])
         */
        public Builder trustStore(Path keyStoreFile, char[] password) {
            connection.trustStore(keyStoreFile, password);
            return this;
        }

        /**
         * Creates the backend and starts connecting in the background.
         *
         * @return a backend; connecting goes on in the background
         * @throws IllegalStateException when no URI was given
         */
        public RedisBackend build() {
            return new RedisBackend(this);
        }
    }
}
