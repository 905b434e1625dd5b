package dev.resilience.redis;

import dev.resilience.core.internal.Arguments;
import dev.resilience.redis.internal.Failures;
import dev.resilience.redis.internal.UriRedaction;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multiplexed Lettuce connection to Redis (standalone, Sentinel or Cluster; plain or TLS) that never
 * makes a caller wait for a dead server: commands time out after
 * {@link Builder#commandTimeout(Duration) commandTimeout} and fail at once while disconnected. Building
 * waits up to {@link Builder#connectTimeout(Duration) connectTimeout} (default 1 s) for the first
 * connection; if Redis is not there, building still succeeds and connecting is retried in the background
 * (one WARN for the first failure, with Redis' reason such as {@code WRONGPASS ...}; DEBUG for the rest).
 * Once connected, Lettuce reconnects in the background within a second. A background {@code PING} every
 * {@link Builder#probeInterval(Duration) second} keeps {@link #isReachable()} true to the server's state,
 * traffic or not.
 *
 * <p>URIs: {@code redis://[user:password@]host:port[/db]}, {@code rediss://...} (TLS; trusts the JVM's
 * default trust store, or the PEM/JKS/PKCS12 file given to {@link Builder#trustStore(Path)}),
 * {@code redis-sentinel://host:26379,host2:26379/0#mymaster}; a Cluster takes one or more seed URIs
 * ({@link Builder#clusterUris(String...)}). Passwords never appear in logs or exception messages.
 *
 * <p>Thread-safe. Closing it closes the connections it made and the Lettuce client.
 *
 * @param <K> the key type of the codec
 * @param <V> the value type of the codec
 */
public final class RedisConnection<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

    /** A Cluster topology is reloaded at most this often on redirects and reconnects (Lettuce's default is 30 s). */
    static final Duration ADAPTIVE_REFRESH_MIN_INTERVAL = Duration.ofSeconds(1);

    private final Config config;
    private final RedisCodec<K, V> codec;
    private final Function<? super RedisClusterAsyncCommands<K, V>, ? extends CompletionStage<?>> onConnect;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final List<RedisURI> uris;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final List<StatefulConnection<?, ?>> pubSubConnections = new ArrayList<>();
    private final ScheduledFuture<?> probeTask;
    private volatile @Nullable StatefulConnection<K, V> connection;
    private volatile @Nullable RedisClusterAsyncCommands<K, V> commands;
    private volatile boolean closed;
    private volatile boolean connectFailureLogged;
    private volatile boolean reachable;

    private RedisConnection(Builder builder, RedisCodec<K, V> codec,
                            Function<? super RedisClusterAsyncCommands<K, V>, ? extends CompletionStage<?>> onConnect) {
        this.codec = codec;
        this.onConnect = onConnect;
        this.uris = builder.parsedUris();
        String description = uris.stream().map(RedisConnection::describe).collect(Collectors.joining(","));
        this.config = new Config(description, builder.cluster, uris.stream().anyMatch(RedisURI::isSsl),
                builder.commandTimeout, builder.connectTimeout, builder.probeInterval, builder.topologyRefreshPeriod,
                Optional.ofNullable(builder.trustStore));
        TimeoutOptions timeouts = TimeoutOptions.enabled(builder.commandTimeout);
        SocketOptions socket = SocketOptions.builder().connectTimeout(builder.connectTimeout).build();
        SslOptions ssl = builder.sslOptions();
        for (RedisURI uri : uris) {
            uri.setTimeout(builder.connectTimeout); // Lettuce bounds the connection handshake with it
        }
        // reconnect quickly (Lettuce's default backs off to 30 s): users return to Redis soon after it does
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        if (builder.cluster) {
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, uris);
            // follow failovers and slot moves: refresh on MOVED/ASK redirects and lost or persistently failing
            // connections (at most once per ADAPTIVE_REFRESH_MIN_INTERVAL), and every topologyRefreshPeriod anyway
            ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
                    .enableAllAdaptiveRefreshTriggers()
                    .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_MIN_INTERVAL)
                    .enablePeriodicRefresh(builder.topologyRefreshPeriod)
                    .build();
            ClusterClientOptions.Builder options = ClusterClientOptions.builder().timeoutOptions(timeouts).socketOptions(socket)
                    .topologyRefreshOptions(refresh).disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            if (ssl != null) {
                options.sslOptions(ssl);
            }
            clusterClient.setOptions(options.build());
            this.client = clusterClient;
        } else {
            RedisClient redisClient = RedisClient.create(resources);
            ClientOptions.Builder options = ClientOptions.builder().timeoutOptions(timeouts).socketOptions(socket)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            if (ssl != null) {
                options.sslOptions(ssl);
            }
            redisClient.setOptions(options.build());
            this.client = redisClient;
        }
        // a reconnect shows at once, not only at the next probe; the probe's PING stays the judge of reachability
        resources.eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionActivatedEvent && connection != null) {
                reachable = true;
            } else if (event instanceof ConnectionDeactivatedEvent && !builder.cluster) {
                reachable = false;
            }
        });
        CompletableFuture<?> first = connect();
        try {
            first.get(builder.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // logged by connect(); users fall back until a connection is made
        }
        long every = builder.probeInterval.toNanos();
        this.probeTask = resources.eventExecutorGroup().scheduleWithFixedDelay(this::probe, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * A builder.
     *
     * @return a builder with the defaults: 50 ms command timeout, 1 s connect timeout, 1 s probe interval
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The commands of the connection (for a Cluster, routed by slot), or null while there is no connection
     * yet, in which case connecting starts in the background. Once connected, commands fail fast while
     * Redis is away and succeed again after Lettuce reconnects.
     *
     * @return the commands, or null while not connected yet
     */
    public @Nullable RedisClusterAsyncCommands<K, V> commandsIfConnected() {
        RedisClusterAsyncCommands<K, V> current = commands;
        if (current == null) {
            connect();
        }
        return current;
    }

    /**
     * Opens a separate publish/subscribe connection with this connection's settings and codec (for a
     * Cluster, one that hears messages published on any node). Lettuce re-subscribes after a reconnect.
     * Closed with this connection.
     *
     * @return a future that completes with the open publish/subscribe connection, or fails when connecting fails
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<StatefulRedisPubSubConnection<K, V>> connectPubSub() {
        CompletableFuture<? extends StatefulRedisPubSubConnection<K, V>> future = config.cluster()
                ? ((RedisClusterClient) client).connectPubSubAsync(codec).toCompletableFuture()
                : ((RedisClient) client).connectPubSubAsync(codec, uris.get(0)).toCompletableFuture();
        return future.thenApply(opened -> {
            synchronized (pubSubConnections) {
                if (closed) {
                    opened.closeAsync();
                    throw new IllegalStateException("RedisConnection to " + config.description() + " is closed");
                }
                pubSubConnections.add(opened);
            }
            return (StatefulRedisPubSubConnection<K, V>) opened;
        });
    }

    /**
     * Whether Redis answered the latest background probe (every {@link Builder#probeInterval(Duration)
     * probeInterval}, starting with the first connection attempt): false from start-up when Redis cannot be
     * reached, even before anyone has called it.
     *
     * @return true when the latest probe was answered
     */
    public boolean isReachable() {
        return reachable;
    }

    /**
     * True when connected; when the first connection has not been made yet, starts (re)trying it in the
     * background and answers false.
     *
     * @return true when the connection is made and open; false before the first connection or after close
     */
    public boolean isConnected() {
        StatefulConnection<K, V> current = connection;
        if (current == null) {
            connect();
            return false;
        }
        return current.isOpen();
    }

    /**
     * Hosts and ports, without credentials: for logs and health details.
     *
     * @return a text naming hosts and ports, never a password
     */
    public String description() {
        return config.description();
    }

    /**
     * The effective settings.
     *
     * @return the settings fixed at build time, without credentials
     */
    public Config config() {
        return config;
    }

    /**
     * The background probe: connects when there is no connection yet, else sends a {@code PING} bounded by
     * the connect timeout. Its outcome is {@link #isReachable()}.
     */
    private void probe() {
        RedisClusterAsyncCommands<K, V> redis = commands;
        if (closed) {
            return;
        }
        if (redis == null) {
            connect();
            return;
        }
        try {
            redis.ping().toCompletableFuture().orTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((pong, error) -> reachable = error == null);
        } catch (RuntimeException e) {
            reachable = false;
        }
    }

    /** Starts connecting unless connected or connecting; the future completes when this attempt (and onConnect) ends. */
    private CompletableFuture<?> connect() {
        if (closed || connection != null || !connecting.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<? extends StatefulConnection<K, V>> future;
        try {
            if (config.cluster()) {
                RedisClusterClient clusterClient = (RedisClusterClient) client;
                // an asynchronous cluster connection needs the topology loaded first
                future = clusterClient.refreshPartitionsAsync().toCompletableFuture()
                        .thenCompose(loaded -> clusterClient.connectAsync(codec));
            } else {
                future = ((RedisClient) client).connectAsync(codec, uris.get(0)).toCompletableFuture();
            }
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return future.whenComplete((opened, error) -> {
            onConnectAttempt(opened, error);
            connecting.set(false);
        }).thenCompose(opened -> {
            RedisClusterAsyncCommands<K, V> redis = commands;
            CompletionStage<?> check = redis == null ? CompletableFuture.completedFuture(null) : onConnect.apply(redis);
            return check.thenApply(done -> opened);
        });
    }

    @SuppressWarnings("unchecked")
    private void onConnectAttempt(StatefulConnection<K, V> opened, Throwable error) {
        if (error != null && closed) {
            return; // an attempt cut short by close(): nothing to report
        }
        if (error != null) {
            String reason = Failures.describe(error);
            if (connectFailureLogged) { // retried at each probe: one WARN per outage is enough
                log.debug("Still cannot connect to Redis at {}: {}", config.description(), reason);
            } else {
                connectFailureLogged = true;
                log.warn("Cannot connect to Redis at {}: {}; retrying in the background (further failures logged at DEBUG)",
                        config.description(), reason);
            }
        } else if (closed) {
            opened.closeAsync();
        } else {
            connection = opened;
            commands = opened instanceof StatefulRedisClusterConnection
                    ? ((StatefulRedisClusterConnection<K, V>) opened).async()
                    : ((StatefulRedisConnection<K, V>) opened).async();
            reachable = true;
            log.info("Connected to Redis at {}", config.description());
        }
    }

    @Override
    public void close() {
        closed = true;
        probeTask.cancel(false);
        StatefulConnection<K, V> current = connection;
        if (current != null) {
            current.close();
        }
        synchronized (pubSubConnections) {
            pubSubConnections.forEach(StatefulConnection::close);
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "RedisConnection{" + config.description() + "}";
    }

    private static String describe(RedisURI uri) {
        if (!uri.getSentinels().isEmpty()) {
            return "sentinel:" + uri.getSentinelMasterId() + "@" + uri.getSentinels().stream()
                    .map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(","));
        }
        return uri.getHost() + ":" + uri.getPort();
    }

    /**
     * The effective settings of a connection; no credentials.
     *
     * @param description hosts and ports, comma-separated
     * @param cluster whether it is a Redis Cluster connection
     * @param tls whether a URI asked for TLS ({@code rediss://})
     * @param commandTimeout how long a command may take
     * @param connectTimeout how long connecting and the probe's {@code PING} may take
     * @param probeInterval how often the background probe runs
     * @param topologyRefreshPeriod how often a Cluster topology is reloaded without a sign of change
     * @param trustStore the trust store file for TLS, when not the JVM's default
     */
    public record Config(String description, boolean cluster, boolean tls, Duration commandTimeout, Duration connectTimeout,
                         Duration probeInterval, Duration topologyRefreshPeriod, Optional<Path> trustStore) {
    }

    /**
     * Builds a {@link RedisConnection}. Not thread-safe; the built connection is. Users of the connection
     * (the rate limiter's {@code RedisBackend}, the cache) take one of these to set their own defaults.
     */
    public static final class Builder {
        private @Nullable List<String> rawUris;
        /** A server given by its parts ({@link #server}): makes a fresh RedisURI per connection. */
        private java.util.function.@Nullable Supplier<RedisURI> server;
        private boolean cluster;
        private Duration commandTimeout = Duration.ofMillis(50);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration probeInterval = Duration.ofSeconds(1);
        private Duration topologyRefreshPeriod = Duration.ofSeconds(30);
        private @Nullable Path trustStore;
        private @Nullable TrustManagerFactory trustManagers;

        private Builder() {
        }

        /**
         * A standalone ({@code redis://}, {@code rediss://}) or Sentinel ({@code redis-sentinel://}) URI.
         *
         * @param uri the URI; a password in it is never logged or shown
         * @return this builder
         * @throws IllegalArgumentException when the URI is malformed (the message hides any password)
         */
        public Builder uri(String uri) {
            parse(uri);
            this.rawUris = List.of(uri);
            this.server = null;
            this.cluster = false;
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
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank, was " + host);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
            }
            if (database < 0) {
                throw new IllegalArgumentException("database must not be negative, was " + database);
            }
            char[] secret = password.length == 0 ? null : password.clone();
            this.server = () -> {
                RedisURI.Builder uri = RedisURI.builder().withHost(host).withPort(port).withSsl(ssl).withDatabase(database);
                if (secret != null) {
                    if (username.isBlank()) {
                        uri.withPassword(secret.clone());
                    } else {
                        uri.withAuthentication(username, secret.clone());
                    }
                }
                return uri.build();
            };
            this.rawUris = null;
            this.cluster = false;
            return this;
        }

        /**
         * Seed URIs of a Redis Cluster.
         *
         * @param seeds one or more node URIs; the rest of the cluster is discovered from them
         * @return this builder
         * @throws IllegalArgumentException when there is none or one is malformed
         */
        public Builder clusterUris(String... seeds) {
            if (seeds == null || seeds.length == 0) {
                throw new IllegalArgumentException("clusterUris needs at least one seed URI");
            }
            for (String seed : seeds) {
                parse(seed);
            }
            this.rawUris = List.copyOf(Arrays.asList(seeds));
            this.server = null;
            this.cluster = true;
            return this;
        }

        /**
         * How long a command may take before it fails with a timeout (default 50 ms).
         *
         * @param timeout the command timeout, between 1 ms and 10 s
         * @return this builder
         * @throws IllegalArgumentException unless between 1 ms and 10 s
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Arguments.between("commandTimeout", timeout, Duration.ofMillis(1), Duration.ofSeconds(10));
            return this;
        }

        /**
         * How long connecting may take (default 1 s); also bounds the probe's {@code PING}.
         *
         * @param timeout the connect timeout, between 1 ms and 10 s
         * @return this builder
         * @throws IllegalArgumentException unless between 1 ms and 10 s
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Arguments.between("connectTimeout", timeout, Duration.ofMillis(1), Duration.ofSeconds(10));
            return this;
        }

        /**
         * How often a background {@code PING} checks that Redis answers (default 1 s).
         *
         * @param interval the time between probes, between 10 ms and 1 minute
         * @return this builder
         * @throws IllegalArgumentException unless between 10 ms and 1 minute
         */
        public Builder probeInterval(Duration interval) {
            this.probeInterval = Arguments.between("probeInterval", interval, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        /**
         * How often a Cluster's topology is reloaded even without a sign of change (default 30 s). A redirect
         * ({@code MOVED}, {@code ASK}) or a lost connection reloads it at once in any case (at most once a
         * second). Not used outside Cluster.
         *
         * @param period the time between topology reloads, between 1 s and 1 hour
         * @return this builder
         * @throws IllegalArgumentException unless between 1 s and 1 hour
         */
        public Builder topologyRefreshPeriod(Duration period) {
            this.topologyRefreshPeriod = Arguments.between("topologyRefreshPeriod", period, Duration.ofSeconds(1), Duration.ofHours(1));
            return this;
        }

        /**
         * For {@code rediss://}: trust the CA certificates in this PEM file (one or more
         * {@code -----BEGIN CERTIFICATE-----} blocks) instead of the JVM's default trust store, e.g. a
         * private CA. The file is read now.
         *
         * @param pemFile a PEM file of one or more CA certificates
         * @return this builder
         * @throws IllegalArgumentException when the file cannot be read or holds no certificate
         */
        public Builder trustStore(Path pemFile) {
            Objects.requireNonNull(pemFile, "trustStore");
            this.trustManagers = trustManagers(pemFile, null);
            this.trustStore = pemFile;
            return this;
        }

        /**
         * For {@code rediss://}: trust the certificates in this JKS or PKCS12 key store, opened with
         * {@code password}, instead of the JVM's default trust store. The file is read now; the password is
         * not kept.
         *
         * @param keyStoreFile a JKS or PKCS12 key store of trusted certificates
         * @param password the key store's password; the caller may clear the array afterwards
         * @return this builder
         * @throws IllegalArgumentException when the file cannot be read or opened with the password, or holds
         *     no certificate
         */
        public Builder trustStore(Path keyStoreFile, char[] password) {
            Objects.requireNonNull(keyStoreFile, "trustStore");
            Objects.requireNonNull(password, "trustStore password");
            this.trustManagers = trustManagers(keyStoreFile, password);
            this.trustStore = keyStoreFile;
            return this;
        }

        /**
         * Creates a String/String connection and starts connecting.
         *
         * @return this builder
         * @throws IllegalStateException when no URI was given
         */
        public RedisConnection<String, String> build() {
            return build(StringCodec.UTF8);
        }

        /**
         * Creates a connection with {@code codec} and starts connecting.
         *
         * @param codec how keys and values are written to and read from Redis
         * @param <K> the key type
         * @param <V> the value type
         * @return the connection, connecting in the background
         * @throws IllegalStateException when no URI was given
         */
        public <K, V> RedisConnection<K, V> build(RedisCodec<K, V> codec) {
            return build(codec, commands -> CompletableFuture.completedFuture(null));
        }

        /**
         * Creates a connection with {@code codec}; {@code onConnect} runs once the connection is made
         * (building waits for it within the connect timeout), e.g. to check what the server allows.
         *
         * @param codec how keys and values are written to and read from Redis
         * @param onConnect what runs on the commands once connected, such as loading a script
         * @param <K> the key type
         * @param <V> the value type
         * @return the connection, connected or still connecting in the background when Redis is away
         * @throws IllegalStateException when no URI was given
         */
        public <K, V> RedisConnection<K, V> build(RedisCodec<K, V> codec,
                                                  Function<? super RedisClusterAsyncCommands<K, V>, ? extends CompletionStage<?>> onConnect) {
            Arguments.notNull("codec", codec);
            Arguments.notNull("onConnect", onConnect);
            if (rawUris == null && server == null) {
                throw new IllegalStateException("set uri(...), server(...) or clusterUris(...) before build()");
            }
            return new RedisConnection<>(this, codec, onConnect);
        }

        /** Fresh RedisURI objects for each connection (a RedisURI is mutable). */
        private List<RedisURI> parsedUris() {
            java.util.function.Supplier<RedisURI> given = server;
            if (given != null) {
                return List.of(given.get());
            }
            // build() checked that one of the two is set
            return Objects.requireNonNull(rawUris, "rawUris").stream().map(Builder::parse).collect(Collectors.toUnmodifiableList());
        }

        private @Nullable SslOptions sslOptions() {
            return trustManagers == null ? null : SslOptions.builder().jdkSslProvider().trustManager(trustManagers).build();
        }

        private static TrustManagerFactory trustManagers(Path file, char @Nullable [] password) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("trustStore " + file + " is not a readable file");
            }
            try {
                KeyStore store;
                if (password == null) {
                    Collection<? extends Certificate> certificates;
                    try (InputStream in = Files.newInputStream(file)) {
                        byte[] head = in.readNBytes(64);
                        if (!new String(head, StandardCharsets.US_ASCII).contains("-----BEGIN")) {
                            throw new IllegalArgumentException("trustStore " + file + " is not a PEM file (no -----BEGIN "
                                    + "CERTIFICATE-----); for a JKS or PKCS12 key store use trustStore(path, password)");
                        }
                    }
                    try (InputStream in = Files.newInputStream(file)) {
                        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                    }
                    store = KeyStore.getInstance(KeyStore.getDefaultType());
                    store.load(null, null);
                    int i = 0;
                    for (Certificate certificate : certificates) {
                        store.setCertificateEntry("ca-" + i++, certificate);
                    }
                } else {
                    store = KeyStore.getInstance(KeyStore.getDefaultType()); // PKCS12; Java reads JKS with it too
                    try (InputStream in = Files.newInputStream(file)) {
                        store.load(in, password);
                    }
                }
                if (store.size() == 0) {
                    throw new IllegalArgumentException("trustStore " + file + " holds no certificate");
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                return factory;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("trustStore " + file + " cannot be read" + (password == null ? "" : " with that password")
                        + ": " + e.getMessage(), e);
            }
        }

        private static RedisURI parse(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("Redis URI must not be blank");
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
    }
}
