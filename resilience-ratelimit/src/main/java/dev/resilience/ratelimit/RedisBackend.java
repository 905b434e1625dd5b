package dev.resilience.ratelimit;

import dev.resilience.core.internal.Arguments;
import dev.resilience.ratelimit.internal.RedisScript;
import dev.resilience.ratelimit.internal.UriRedaction;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lettuce connection to Redis (standalone, Sentinel or Cluster) that {@link RedisRateLimiter}s and
 * {@link LoginProtection} share. One multiplexed connection serves every limiter; commands time out
 * after {@link Builder#commandTimeout(Duration) commandTimeout} (default 50 ms) and fail at once while
 * disconnected, so a limiter falls back instead of waiting. Building waits up to
 * {@link Builder#connectTimeout(Duration) connectTimeout} (default 1 s) for the first connection; if
 * Redis is not there, building still succeeds, limiters fall back, and connecting is retried in the
 * background. Once connected, Lettuce reconnects in the background (retrying within a second). A
 * background probe ({@code PING} every {@link Builder#probeInterval(Duration) second}) keeps
 * {@link #isReachable()} true to the server's state from start-up, traffic or not.
 *
 * <p>URIs: {@code redis://[password@]host:port[/db]}, {@code rediss://...} (TLS),
 * {@code redis-sentinel://host:26379,host2:26379/0#mymaster}; a Cluster takes one or more seed URIs
 * ({@link Builder#clusterUris(String...)}). Passwords never appear in logs or exception messages.
 *
 * <p>Thread-safe. Closing it closes the connection and the Lettuce client.
 */
public final class RedisBackend implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisBackend.class);

    /** A Cluster topology is reloaded at most this often on redirects and reconnects (Lettuce's default is 30 s). */
    static final Duration ADAPTIVE_REFRESH_MIN_INTERVAL = Duration.ofSeconds(1);

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final boolean cluster;
    private final List<RedisURI> uris;
    private final String description;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulConnection<String, String> connection;
    private volatile RedisScriptingAsyncCommands<String, String> commands;
    private volatile boolean closed;
    private volatile boolean connectFailureLogged;
    private volatile BaseRedisAsyncCommands<String, String> pingable;
    private volatile boolean reachable;
    private volatile String timeRefusedInScripts;
    private final Duration probeTimeout;
    private final ScheduledFuture<?> probeTask;

    private RedisBackend(Builder builder) {
        this.cluster = builder.cluster;
        this.uris = builder.uris;
        this.description = uris.stream().map(RedisBackend::describe).collect(Collectors.joining(","));
        TimeoutOptions timeouts = TimeoutOptions.enabled(builder.commandTimeout);
        SocketOptions socket = SocketOptions.builder().connectTimeout(builder.connectTimeout).build();
        for (RedisURI uri : uris) {
            uri.setTimeout(builder.connectTimeout); // Lettuce bounds the connection handshake with it
        }
        // reconnect quickly (Lettuce's default backs off to 30 s): limiters return to Redis soon after it does
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        if (cluster) {
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, uris);
            // follow failovers and slot moves: refresh on MOVED/ASK redirects and lost or persistently failing
            // connections (at most once per ADAPTIVE_REFRESH_MIN_INTERVAL), and every topologyRefreshPeriod anyway
            ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
                    .enableAllAdaptiveRefreshTriggers()
                    .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_MIN_INTERVAL)
                    .enablePeriodicRefresh(builder.topologyRefreshPeriod)
                    .build();
            clusterClient.setOptions(ClusterClientOptions.builder().timeoutOptions(timeouts).socketOptions(socket)
                    .topologyRefreshOptions(refresh)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            this.client = clusterClient;
        } else {
            RedisClient redisClient = RedisClient.create(resources);
            redisClient.setOptions(ClientOptions.builder().timeoutOptions(timeouts).socketOptions(socket)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            this.client = redisClient;
        }
        this.probeTimeout = builder.connectTimeout;
        CompletableFuture<?> first = connect();
        try {
            first.get(builder.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // logged by connect(); limiters fall back until a connection is made
        }
        long every = builder.probeInterval.toNanos();
        this.probeTask = resources.eventExecutorGroup().scheduleWithFixedDelay(this::probe, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * The background probe: connects when there is no connection yet, else sends a {@code PING}
     * bounded by the connect timeout. Its outcome is {@link #isReachable()}.
     */
    private void probe() {
        BaseRedisAsyncCommands<String, String> redis = pingable;
        if (closed) {
            return;
        }
        if (redis == null) {
            connect();
            return;
        }
        try {
            redis.ping().toCompletableFuture().orTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((pong, error) -> reachable = error == null);
        } catch (RuntimeException e) {
            reachable = false;
        }
    }

    /**
     * Whether Redis answered the latest background probe ({@link Builder#probeInterval(Duration) every
     * second} by default, starting with the first connection attempt): false from start-up when Redis
     * cannot be reached, even before any limiter has called it.
     */
    public boolean isReachable() {
        return reachable;
    }

    /**
     * A backend for one standalone or Sentinel URI with the defaults.
     *
     * @throws IllegalArgumentException when the URI is malformed
     */
    public static RedisBackend create(String uri) {
        return builder().uri(uri).build();
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs {@code script}; fails fast when not connected (and starts connecting). */
    CompletableFuture<List<Object>> run(RedisScript script, String[] keys, String[] args) {
        RedisScriptingAsyncCommands<String, String> redis = commands;
        if (redis == null) {
            connect();
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis at " + description));
        }
        return script.run(redis, keys, args);
    }

    /** Deletes keys; fails fast when not connected. */
    CompletableFuture<Long> delete(String... keys) {
        StatefulConnection<String, String> current = connection;
        if (current == null) {
            connect();
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis at " + description));
        }
        return (current instanceof StatefulRedisClusterConnection
                ? ((StatefulRedisClusterConnection<String, String>) current).async().del(keys)
                : ((StatefulRedisConnection<String, String>) current).async().del(keys)).toCompletableFuture();
    }

    /** Hosts and ports, without credentials: for logs and health details. */
    public String description() {
        return description;
    }

    /**
     * True when connected; when the first connection has not been made yet, starts (re)trying it in the
     * background and answers false.
     */
    public boolean isConnected() {
        StatefulConnection<String, String> current = connection;
        if (current == null) {
            connect();
            return false;
        }
        return current.isOpen();
    }

    /** Starts connecting unless connected or connecting; the future completes when this attempt ends. */
    private CompletableFuture<?> connect() {
        if (closed || connection != null || !connecting.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<? extends StatefulConnection<String, String>> future;
        if (cluster) {
            RedisClusterClient clusterClient = (RedisClusterClient) client;
            // an asynchronous cluster connection needs the topology loaded first
            future = clusterClient.refreshPartitionsAsync().toCompletableFuture()
                    .thenCompose(loaded -> clusterClient.connectAsync(StringCodec.UTF8));
        } else {
            future = ((RedisClient) client).connectAsync(StringCodec.UTF8, uris.get(0)).toCompletableFuture();
        }
        return future.whenComplete((opened, error) -> {
            onConnectAttempt(opened, error);
            connecting.set(false);
        }).thenCompose(opened -> checkTimeInScripts());
    }

    private void onConnectAttempt(StatefulConnection<String, String> opened, Throwable error) {
        if (error != null) {
            Throwable cause = RedisScript.unwrap(error);
            if (connectFailureLogged) { // limiters retry at each breaker probe: one WARN per outage is enough
                log.debug("Still cannot connect to Redis at {}: {}", description, UriRedaction.redact(cause.toString()));
            } else {
                connectFailureLogged = true;
                log.warn("Cannot connect to Redis at {}: {}; retrying in the background (further failures logged at DEBUG)",
                        description, UriRedaction.redact(cause.toString()));
            }
        } else if (closed) {
            opened.closeAsync();
        } else {
            connection = opened;
            if (opened instanceof StatefulRedisClusterConnection) {
                RedisAdvancedClusterAsyncCommands<String, String> async = ((StatefulRedisClusterConnection<String, String>) opened).async();
                commands = async;
                pingable = async;
            } else {
                RedisAsyncCommands<String, String> async = ((StatefulRedisConnection<String, String>) opened).async();
                commands = async;
                pingable = async;
            }
            reachable = true;
            log.info("Connected to Redis at {}", description);
        }
    }

    /**
     * Some managed Redis offerings forbid {@code TIME} in scripts, which the limiters read unless built
     * with {@code clientTime(true)}: find out once connected, so building such a limiter fails with a
     * message that says what to do instead of every call failing.
     */
    private CompletableFuture<?> checkTimeInScripts() {
        RedisScriptingAsyncCommands<String, String> redis = commands;
        if (redis == null) {
            return CompletableFuture.completedFuture(null);
        }
        return redis.<List<Object>>eval("return redis.call('TIME')", ScriptOutputType.MULTI).toCompletableFuture()
                .handle((time, error) -> {
                    Throwable cause = error == null ? null : RedisScript.unwrap(error);
                    if (cause instanceof RedisCommandExecutionException) {
                        timeRefusedInScripts = cause.getMessage();
                        log.warn("Redis at {} refuses TIME in scripts ({}): rate limiters on it need clientTime(true)",
                                description, cause.getMessage());
                    }
                    return null;
                });
    }

    /** Redis' answer when it refused {@code TIME} in a script at connection time; null when it allowed it (or is not connected yet). */
    String timeRefusedInScripts() {
        return timeRefusedInScripts;
    }

    @Override
    public void close() {
        closed = true;
        probeTask.cancel(false);
        StatefulConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "RedisBackend{" + description + "}";
    }

    private static String describe(RedisURI uri) {
        if (!uri.getSentinels().isEmpty()) {
            return "sentinel:" + uri.getSentinelMasterId() + "@" + uri.getSentinels().stream()
                    .map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(","));
        }
        return uri.getHost() + ":" + uri.getPort();
    }

    /** Builds a {@link RedisBackend}. Not thread-safe; the built backend is. */
    public static final class Builder {
        private List<RedisURI> uris;
        private boolean cluster;
        private Duration commandTimeout = Duration.ofMillis(50);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration probeInterval = Duration.ofSeconds(1);
        private Duration topologyRefreshPeriod = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * A standalone ({@code redis://}, {@code rediss://}) or Sentinel ({@code redis-sentinel://}) URI.
         *
         * @throws IllegalArgumentException when the URI is malformed (the message hides any password)
         */
        public Builder uri(String uri) {
            this.uris = List.of(parse(uri));
            this.cluster = false;
            return this;
        }

        /**
         * Seed URIs of a Redis Cluster.
         *
         * @throws IllegalArgumentException when there is none or one is malformed
         */
        public Builder clusterUris(String... seeds) {
            if (seeds == null || seeds.length == 0) {
                throw new IllegalArgumentException("clusterUris needs at least one seed URI");
            }
            List<RedisURI> parsed = new ArrayList<>();
            for (String seed : seeds) {
                parsed.add(parse(seed));
            }
            this.uris = List.copyOf(parsed);
            this.cluster = true;
            return this;
        }

        /**
         * How long a command may take before the limiter falls back (default 50 ms: a rate-limit check
         * must not add noticeable latency, and Redis answers in well under a millisecond when healthy).
         *
         * @throws IllegalArgumentException unless between 1 ms and 10 s
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = checkDuration("commandTimeout", timeout);
            return this;
        }

        /**
         * How long connecting may take (default 1 s).
         *
         * @throws IllegalArgumentException unless between 1 ms and 10 s
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = checkDuration("connectTimeout", timeout);
            return this;
        }

        /**
         * How often a background {@code PING} checks that Redis answers (default 1 s), for
         * {@link RedisBackend#isReachable()} and the limiters' health.
         *
         * @throws IllegalArgumentException unless between 10 ms and 1 minute
         */
        public Builder probeInterval(Duration interval) {
            this.probeInterval = Arguments.between("probeInterval", interval, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        /**
         * How often a Cluster's topology is reloaded even without a sign of change (default 30 s). A
         * redirect ({@code MOVED}, {@code ASK}) or a lost connection reloads it at once in any case (at most
         * once a second); the period catches what sends no such sign (a node added). Not used outside Cluster.
         *
         * @throws IllegalArgumentException unless between 1 s and 1 hour
         */
        public Builder topologyRefreshPeriod(Duration period) {
            this.topologyRefreshPeriod = Arguments.between("topologyRefreshPeriod", period, Duration.ofSeconds(1), Duration.ofHours(1));
            return this;
        }

        /**
         * Creates the backend and starts connecting in the background.
         *
         * @throws IllegalStateException when no URI was given
         */
        public RedisBackend build() {
            if (uris == null) {
                throw new IllegalStateException("set uri(...) or clusterUris(...) before build()");
            }
            return new RedisBackend(this);
        }

        private static RedisURI parse(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (uri.isBlank()) {
                throw new IllegalArgumentException("uri (the Redis URI) must not be blank");
            }
            String shown = UriRedaction.redact(uri);
            if (!uri.matches("(?i)(redis|rediss|redis-sentinel|rediss-sentinel|redis-socket)://.+")) {
                throw new IllegalArgumentException("Redis URI must start with redis://, rediss://, redis-sentinel:// "
                        + "or redis-socket:// and name a host: " + shown);
            }
            try {
                RedisURI parsed = RedisURI.create(uri);
                String host = parsed.getHost();
                if (parsed.getSentinels().isEmpty() && parsed.getSocket() == null
                        && (host == null || host.isEmpty() || (host.contains(":") && !uri.contains("[")))) {
                    throw new IllegalArgumentException("no valid host"); // "host:notaport" is taken as a host name
                }
                return parsed;
            } catch (RuntimeException e) {
                // Lettuce's message may quote the URI with its password: never pass it on
                throw new IllegalArgumentException("Redis URI is malformed: " + shown);
            }
        }

        private static Duration checkDuration(String parameter, Duration value) {
            return Arguments.between(parameter, value, Duration.ofMillis(1), Duration.ofSeconds(10));
        }
    }
}
