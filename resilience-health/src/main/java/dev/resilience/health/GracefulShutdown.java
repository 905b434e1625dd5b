package dev.resilience.health;

import dev.resilience.core.Sleeper;
import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shuts a service down without dropping requests, on SIGTERM ({@link #installShutdownHook()}) or on
 * request ({@link #shutdown()}), in this order, logging each step:
 * <ol>
 *   <li>takes the instance out of service ({@link HealthRegistry#markNotReady(String)}): {@code /health}
 *       and the readiness probe answer 503 {@code OUT_OF_SERVICE} from this moment, so load balancers
 *       (whichever of the two they probe) and Kubernetes stop routing new traffic here;</li>
 *   <li>waits the drain delay (default 5 s) while they notice; requests keep being served;</li>
 *   <li>stops accepting: the request metrics middleware answers new requests 503 with
 *       {@code Connection: close};</li>
 *   <li>waits for the requests in flight, up to the timeout (default 20 s, which with the drain delay
 *       fits Kubernetes' default 30 s grace period);</li>
 *   <li>closes the registered resources in reverse order of registration (register the connection
 *       pool before the HTTP server, so the server closes first and the pool last); a failure is
 *       logged and the next resource still closed.</li>
 * </ol>
 *
 * <p>Thread-safe; the shutdown runs once, later calls return at once.
 */
public final class GracefulShutdown {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    /** Null when no registry is taken out of service. */
    private final @Nullable HealthRegistry health;
    private final List<RequestMetrics> requests;
    private final Duration drainDelay;
    private final Duration timeout;
    private final Sleeper sleeper;
    private final List<Resource> resources;
    private final AtomicBoolean started = new AtomicBoolean();

    /** What {@link #config()} reports. */
    private final Config config;

    private GracefulShutdown(Builder b) {
        this.health = b.health;
        this.requests = List.copyOf(b.requests);
        this.drainDelay = b.drainDelay;
        this.timeout = b.timeout;
        this.sleeper = b.sleeper;
        this.resources = List.copyOf(b.resources);
        this.config = new Config(health != null, requests.size(), drainDelay, timeout,
                resources.stream().map(r -> r.name).toList());
    }

    /** {@return a builder: drain delay 5 s, timeout 20 s, nothing to drain or close yet} */
    public static Builder builder() {
        return new Builder();
    }

    /** Registers a JVM shutdown hook (SIGTERM, SIGINT, {@code System.exit}) that runs {@link #shutdown()}. */
    public void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "resilience-graceful-shutdown"));
    }

    /**
     * Runs the shutdown sequence on the calling thread; blocks until it completes.
     *
     * @return true if every in-flight request finished before the timeout (false also when
     *     interrupted or when it already ran)
     */
    public boolean shutdown() {
        if (!started.compareAndSet(false, true)) {
            return false;
        }
        log.info("Graceful shutdown: step 1/5, marking the service OUT_OF_SERVICE");
        if (health != null) {
            health.markNotReady("shutting down");
        }
        boolean drained = false;
        try {
            log.info("Graceful shutdown: step 2/5, waiting {} ms for load balancers to stop routing here",
                    drainDelay.toMillis());
            sleeper.sleep(drainDelay);
            log.info("Graceful shutdown: step 3/5, refusing new requests");
            requests.forEach(RequestMetrics::stopAccepting);
            log.info("Graceful shutdown: step 4/5, waiting up to {} ms for {} in-flight requests", timeout.toMillis(),
                    requests.stream().mapToInt(RequestMetrics::inFlight).sum());
            drained = awaitIdle();
            if (drained) {
                log.info("Graceful shutdown: all requests finished");
            } else {
                log.warn("Graceful shutdown: {} requests still in flight after {} ms, closing anyway",
                        requests.stream().mapToInt(RequestMetrics::inFlight).sum(), timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Graceful shutdown interrupted; closing resources now");
        }
        closeResources();
        log.info("Graceful shutdown complete");
        return drained;
    }

    private boolean awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RequestMetrics tracker : requests) {
            if (!tracker.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    private void closeResources() {
        log.info("Graceful shutdown: step 5/5, closing {} resources", resources.size());
        for (int i = resources.size() - 1; i >= 0; i--) {
            Resource resource = resources.get(i);
            try {
                resource.closeable.close();
                log.info("Graceful shutdown: closed {}", resource.name);
            } catch (Exception e) {
                log.warn("Graceful shutdown: closing {} failed: {}", resource.name, e.toString());
            }
        }
    }

    /** {@return whether {@link #shutdown()} has started} */
    public boolean isShuttingDown() {
        return started.get();
    }

    private static final class Resource {
        final String name;
        final AutoCloseable closeable;

        Resource(String name, AutoCloseable closeable) {
            this.name = name;
            this.closeable = closeable;
        }
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link GracefulShutdown}.
     *
     * @param health whether a {@link HealthRegistry} is taken out of service first
     * @param requestMetrics how many {@link RequestMetrics} are drained
     * @param drainDelay how long readiness answers 503 before draining starts (default 5 s)
     * @param timeout how long to wait for in-flight requests (default 20 s)
     * @param resources the resources' names in registration order (they are closed in reverse)
     */
    public record Config(boolean health, int requestMetrics, Duration drainDelay, Duration timeout, List<String> resources) {
    }

    /** Builds a {@link GracefulShutdown}. Not thread-safe. */
    public static final class Builder {
        private @Nullable HealthRegistry health;
        private final List<RequestMetrics> requests = new ArrayList<>();
        private Duration drainDelay = Duration.ofSeconds(5);
        private Duration timeout = Duration.ofSeconds(20);
        private Sleeper sleeper = Sleeper.system();
        private final List<Resource> resources = new ArrayList<>();

        private Builder() {
        }

        /**
         * The registry taken out of service first.
         *
         * @param health marked not ready, so readiness answers 503 while requests drain
         * @return this builder
         */
        public Builder health(HealthRegistry health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /**
         * A request metrics middleware whose in-flight requests to wait for; may be called for several servers.
         *
         * @param requests the middleware of one server
         * @return this builder
         */
        public Builder requests(RequestMetrics requests) {
            this.requests.add(Objects.requireNonNull(requests, "requests"));
            return this;
        }

        /**
         * How long to keep serving after readiness went DOWN. Default 5 s.
         *
         * @param delay 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder drainDelay(Duration delay) {
            Arguments.notNegative("drainDelay", delay);
            this.drainDelay = delay;
            return this;
        }

        /**
         * How long to wait for in-flight requests. Default 20 s.
         *
         * @param timeout 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder timeout(Duration timeout) {
            Arguments.notNegative("timeout", timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * How the drain delay is waited. Default {@link Sleeper#system()}.
         *
         * @param sleeper tests pass one that only records
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * A resource to close at the end; resources close in reverse order of registration.
         *
         * @param name for the log, for example "http server"
         * @param resource closed once; its failure is logged and the shutdown goes on
         * @return this builder
         */
        public Builder resource(String name, AutoCloseable resource) {
            resources.add(new Resource(Objects.requireNonNull(name, "name"), Objects.requireNonNull(resource, "resource")));
            return this;
        }

        /**
         * Builds the shutdown; nothing happens until it is run.
         *
         * @return a thread-safe shutdown, run at most once
         */
        public GracefulShutdown build() {
            return new GracefulShutdown(this);
        }
    }
}
