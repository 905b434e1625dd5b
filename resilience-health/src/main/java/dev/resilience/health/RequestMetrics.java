package dev.resilience.health;

import dev.resilience.core.Clock;
import dev.resilience.core.internal.Arguments;
import dev.resilience.health.internal.RequestWindow;
import dev.resilience.health.internal.RouteMatcher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.util.DoubleFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The transport-neutral core of the request metrics middleware ({@link RequestMetricsFilter} for the
 * JDK server, {@link RequestMetricsServletFilter} for servlet containers): records
 * {@code http.server.requests} the way Micrometer's own instrumentation does, and counts in-flight
 * requests so that {@link GracefulShutdown} can wait for them and refuse new ones.
 *
 * <p>Tags: {@code method} (standard methods; anything else is {@code UNKNOWN}), {@code uri} (the
 * registered route template that matched; unmatched requests are grouped as {@code NOT_FOUND} for
 * 404, {@code REDIRECTION} for 3xx and {@code UNKNOWN} otherwise, so raw paths with ids never become
 * tags), {@code status}, {@code outcome} ({@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR},
 * {@code REDIRECTION}, {@code INFORMATIONAL}) and {@code exception} (simple class name or
 * {@code none}). Throughput is the rate of the count. The gauge {@code http.server.requests.active}
 * shows the requests in flight.
 *
 * <p>Latency and errors are also judged per route over all its outcomes, over the last
 * {@link #WINDOW 5 minutes} (to a 30 s step): {@code http.server.requests.latency} (seconds, tagged
 * {@code uri}, {@code method} and {@code quantile}; P50, P95 and P99 by default) is the percentile of
 * every request of the route whatever its status or exception, and
 * {@code http.server.requests.error.ratio} is the share of all requests answered 5xx. A percentile
 * per timer series would let one slow error among a thousand fast requests read as a P95 of its own.
 * Both gauges are NaN while their window holds no request. {@link AlertRules} read them.
 *
 * <p>Build one per meter registry and share it between servers: a second instance on the same
 * registry would share the first one's timers but not publish its own in-flight gauge.
 *
 * <p>Requests to the health endpoints are not recorded by default
 * ({@link Builder#recordHealthProbes(boolean)}).
 *
 * <p>Thread-safe. Usage by an adapter: {@code long start = begin(); if (start == REJECTED) -> 503;
 * try { ... } finally { end(start, method, path, status, error); }} ({@link #endHealthProbe} for a
 * health endpoint).
 */
public final class RequestMetrics {

    /** Returned by {@link #begin()} once {@link #stopAccepting()} was called: answer 503. */
    public static final long REJECTED = Long.MIN_VALUE;

    /** The request attribute through which {@link HealthServlet} tells the filter the route of a health probe. */
    static final String HEALTH_ROUTE_ATTRIBUTE = RequestMetrics.class.getName() + ".healthRoute";

    /** The span of the per-route latency percentiles and of the error ratio. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    private final MeterRegistry registry;
    private final String name;
    private final RouteMatcher routes;
    private final double[] percentiles;
    private final boolean histogram;
    private final boolean recordHealthProbes;
    private final Clock clock;
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<Route, RequestWindow> windows = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    private volatile boolean accepting = true;

    /** What {@link #config()} reports. */
    private final Config config;

    private RequestMetrics(Builder b) {
        this.registry = b.registry;
        this.name = b.name;
        this.routes = new RouteMatcher(b.routes);
        this.percentiles = b.percentiles;
        this.histogram = b.histogram;
        this.recordHealthProbes = b.recordHealthProbes;
        this.clock = b.clock;
        Gauge.builder(name + ".active", inFlight, AtomicInteger::get)
                .description("HTTP requests in flight").register(registry);
        Gauge.builder(name + ".error.ratio", this, RequestMetrics::errorRatio)
                .description("Share of the requests of the last 5 minutes answered 5xx").register(registry);
        this.config = new Config(name, List.copyOf(b.routes), Arrays.stream(percentiles).boxed().toList(), histogram,
                recordHealthProbes);
    }

    /**
     * {@return a builder recording into {@code registry}}
     *
     * @param registry where the meters go, typically the {@code PrometheusMeterRegistry} served on
     *     {@code /metrics}
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Marks a request as started. Returns the start time to pass to {@link #end}, or {@link #REJECTED}
     * when the server no longer accepts requests (then do not call {@code end}).
     *
     * @return the start time in nanoseconds of the metrics' clock, or {@link #REJECTED}
     */
    public long begin() {
        inFlight.incrementAndGet();
        if (!accepting) {
            leave();
            return REJECTED;
        }
        return clock.nanoTime();
    }

    /**
     * Records a finished request.
     *
     * @param path the raw path without query string, relative to the application's context
     * @param error the exception the handler threw, or null
     * @param start what {@link #begin()} returned
     * @param method the HTTP method; unknown methods are recorded as {@code UNKNOWN}
     * @param status the response's HTTP status
     */
    public void end(long start, String method, String path, int status, @Nullable Throwable error) {
        String uri = routes.match(path);
        if (uri == null) {
            uri = status == 404 ? "NOT_FOUND" : status >= 300 && status < 400 ? "REDIRECTION" : "UNKNOWN";
        }
        record(start, method, uri, status, error);
    }

    /**
     * Ends a request to a health endpoint ({@link HealthEndpoints}): by default it is not recorded, so
     * probes neither fill the request metrics nor dilute (or, answering 503, inflate) the error rate;
     * with {@link Builder#recordHealthProbes(boolean) recordHealthProbes(true)} it is recorded under
     * {@code route}.
     *
     * @param route the endpoint's template, such as {@code /ops/health/{group}}
     * @param start what {@link #begin()} returned
     * @param method the HTTP method
     * @param status the response's HTTP status
     */
    public void endHealthProbe(long start, String method, String route, int status) {
        if (recordHealthProbes) {
            record(start, method, route, status, null);
        } else {
            leave();
        }
    }

    private void record(long start, String method, String uri, int status, @Nullable Throwable error) {
        try {
            String normalizedMethod = METHODS.contains(method) ? method : "UNKNOWN";
            String exception = error == null ? "none" : error.getClass().getSimpleName();
            Timer timer = timers.computeIfAbsent(new Key(uri, normalizedMethod, status, exception), this::timer);
            long now = clock.nanoTime();
            RequestWindow window = windows.computeIfAbsent(new Route(uri, normalizedMethod), this::window);
            window.record(now, now - start, status >= 500 && status < 600);
            timer.record(now - start, TimeUnit.NANOSECONDS);
        } finally {
            leave();
        }
    }

    private Timer timer(Key key) {
        return Timer.builder(name)
                .description("HTTP server requests")
                .tag("uri", key.uri)
                .tag("method", key.method)
                .tag("status", Integer.toString(key.status))
                .tag("outcome", outcome(key.status))
                .tag("exception", key.exception)
                .publishPercentileHistogram(histogram)
                .register(registry);
    }

    private RequestWindow window(Route route) {
        RequestWindow window = new RequestWindow(WINDOW);
        for (double percentile : percentiles) {
            Gauge.builder(name + ".latency", window, w -> w.snapshot(clock.nanoTime()).percentileSeconds(percentile))
                    .description("Latency percentile of every request of the route over the last 5 minutes")
                    .baseUnit("seconds")
                    .tag("uri", route.uri)
                    .tag("method", route.method)
                    .tag("quantile", DoubleFormat.decimalOrNan(percentile))
                    .register(registry);
        }
        return window;
    }

    /** {@return the share of the requests of the last {@link #WINDOW} answered 5xx, over all routes; NaN without requests} */
    public double errorRatio() {
        long now = clock.nanoTime();
        long requests = 0;
        long errors = 0;
        for (RequestWindow window : windows.values()) {
            RequestWindow.Snapshot snapshot = window.snapshot(now);
            requests += snapshot.requests();
            errors += snapshot.serverErrors();
        }
        return requests == 0 ? Double.NaN : (double) errors / requests;
    }

    static String outcome(int status) {
        if (status >= 100 && status < 200) {
            return "INFORMATIONAL";
        } else if (status < 300) {
            return status >= 200 ? "SUCCESS" : "UNKNOWN";
        } else if (status < 400) {
            return "REDIRECTION";
        } else if (status < 500) {
            return "CLIENT_ERROR";
        } else if (status < 600) {
            return "SERVER_ERROR";
        }
        return "UNKNOWN";
    }

    private void leave() {
        if (inFlight.decrementAndGet() == 0 && !accepting) {
            idleLock.lock();
            try {
                idle.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }

    /** {@return the requests in flight now} */
    public int inFlight() {
        return inFlight.get();
    }

    /** From now on {@link #begin()} returns {@link #REJECTED}. Irreversible. */
    public void stopAccepting() {
        accepting = false;
    }

    /**
     * Whether {@link #begin()} still admits requests: true until {@link #stopAccepting()}.
     *
     * @return true while requests are accepted
     */
    public boolean isAccepting() {
        return accepting;
    }

    /**
     * Waits until no request is in flight or the timeout elapses (real time: this is for shutdown).
     *
     * @param timeout the longest to wait
     * @return true if no request is in flight
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        idleLock.lock();
        try {
            while (inFlight.get() > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = idle.awaitNanos(remaining);
            }
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    private record Route(String uri, String method) {
    }

    private record Key(String uri, String method, int status, String exception) {
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of {@link RequestMetrics}.
     *
     * @param name the timer's name (default {@code http.server.requests}); the gauges add {@code .active}
     *     and {@code .error.ratio}
     * @param routes the route templates paths are grouped by (none by default: every path is {@code UNKNOWN})
     * @param percentiles the client-side percentiles published (default 0.5, 0.95, 0.99)
     * @param histogram whether histogram buckets are published (default false)
     * @param recordHealthProbes whether requests to the health endpoints are recorded (default false)
     */
    public record Config(String name, List<String> routes, List<Double> percentiles, boolean histogram,
                         boolean recordHealthProbes) {
    }

    /** Builds {@link RequestMetrics}. Not thread-safe. */
    public static final class Builder {
        private final MeterRegistry registry;
        private String name = "http.server.requests";
        private List<String> routes = List.of();
        private double[] percentiles = {0.5, 0.95, 0.99};
        private boolean histogram;
        private boolean recordHealthProbes;
        private Clock clock = Clock.system();

        private Builder(MeterRegistry registry) {
            this.registry = registry;
        }

        /**
         * The route templates of the application, such as {@code /api/orders/{id}}. Requests that
         * match none are grouped (see the class documentation).
         *
         * @param templates route templates such as {@code /users/{id}}; the most literal match wins
         * @return this builder
         * @throws IllegalArgumentException if a template does not start with '/' or has a partial
         *     variable segment
         */
        public Builder routes(String... templates) {
            List<String> list = Arrays.asList(templates);
            new RouteMatcher(list);
            this.routes = List.copyOf(list);
            return this;
        }

        /**
         * The per-route latency percentiles to publish ({@code http.server.requests.latency}, over the
         * last {@link #WINDOW}). Default 0.5, 0.95, 0.99; the {@code HighLatencyP95} alert needs 0.95.
         *
         * @param percentiles each from 0 to 1
         * @return this builder
         * @throws IllegalArgumentException if a value is not in [0, 1]
         */
        public Builder percentiles(double... percentiles) {
            for (double p : percentiles) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("percentiles must be between 0 and 1: " + Arrays.toString(percentiles));
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        /**
         * Also publishes histogram buckets, so that Prometheus can aggregate percentiles across
         * instances ({@code histogram_quantile}). Off by default: it multiplies the series per route.
         *
         * @param enabled true to publish histogram buckets
         * @return this builder
         */
        public Builder histogram(boolean enabled) {
            this.histogram = enabled;
            return this;
        }

        /**
         * The meter name. Default {@code http.server.requests}.
         *
         * @param name the timer's name
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder name(String name) {
            this.name = Arguments.notBlank("name", name);
            return this;
        }

        /**
         * Whether requests to the health endpoints ({@code /health}, {@code /health/...},
         * {@code /livez}, {@code /readyz} served by {@link HealthHttpHandler} or {@link HealthServlet})
         * are recorded, under their route template. Default false: probes arrive every few seconds
         * from every balancer and would dominate the request metrics and the error rate.
         *
         * @param record true to record requests to the health endpoints
         * @return this builder
         */
        public Builder recordHealthProbes(boolean record) {
            this.recordHealthProbes = record;
            return this;
        }

        /**
         * The clock measuring request durations. Default {@link Clock#system()}.
         *
         * @param clock the time source for durations; tests pass a {@code ManualClock}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the metrics and registers their meters.
         *
         * @return thread-safe request metrics
         */
        public RequestMetrics build() {
            return new RequestMetrics(this);
        }
    }
}
