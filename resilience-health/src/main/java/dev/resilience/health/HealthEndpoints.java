package dev.resilience.health;

import dev.resilience.core.HealthStatus;
import dev.resilience.health.internal.EndpointRequest;
import dev.resilience.health.internal.EndpointResponse;
import dev.resilience.health.internal.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The operator endpoints, independent of any HTTP server: {@link HealthHttpHandler} (JDK
 * {@code HttpServer}) and {@link HealthServlet} (Jakarta Servlet) adapt them. Under the configured
 * prefix (default none):
 *
 * <ul>
 *   <li>{@code GET /health}: 200 when UP or DEGRADED, 503 when DOWN or out of service; status and
 *       score (in the {@link HealthFormat#ACTUATOR Actuator shape} also each check's status and the
 *       groups);</li>
 *   <li>{@code GET /health/live}, {@code /health/ready}, {@code /health/{group}}: the same for a group;
 *       {@code /livez} and {@code /readyz} are Kubernetes-style aliases of the first two;</li>
 *   <li>{@code GET /health/detailed}: every check with status, message, duration, details and last
 *       change; guarded by {@link Builder#sensitiveAccess(EndpointAccess)} (disabled by default);</li>
 *   <li>{@code GET /metrics}: the Prometheus text format (OpenMetrics when the client asks for it);</li>
 *   <li>{@code GET /metrics/{name}}: the last samples of a meter from the {@link MetricSampler};</li>
 *   <li>{@code GET /alerts}: pending, firing and recently resolved alerts;</li>
 *   <li>{@code POST /alerts/{id}/resolve}: acknowledges an alert; guarded like the detailed report.</li>
 * </ul>
 * Unknown paths answer 404 with a JSON error, known paths with the wrong method 405 with
 * {@code Allow}; endpoints whose component was not configured answer 404. The health endpoints
 * ({@code /health}, {@code /health/...}, {@code /livez}, {@code /readyz}) are not recorded by the
 * request metrics middleware unless {@link RequestMetrics.Builder#recordHealthProbes(boolean)} says so.
 *
 * <p>Thread-safe and immutable.
 */
public final class HealthEndpoints {

    static final String HEALTH_JSON = "application/health+json";
    static final String JSON = "application/json";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final String prefix;
    private final HealthRegistry health;
    private final HealthFormat format;
    private final EndpointAccess access;
    private final @Nullable PrometheusMeterRegistry prometheus;
    private final @Nullable MetricSampler sampler;
    private final @Nullable AlertMonitor alerts;

    /** What {@link #config()} reports. */
    private final Config config;

    private HealthEndpoints(Builder b) {
        this.prefix = b.prefix;
        this.health = b.health;
        this.format = b.format;
        this.access = b.access;
        this.prometheus = b.prometheus;
        this.sampler = b.sampler;
        this.alerts = b.alerts;
        this.config = new Config(prefix, format, access.mode().name(), prometheus != null, sampler != null,
                alerts != null);
    }

    /**
     * {@return a builder serving the given registry}
     *
     * @param health the registry whose reports are served
     */
    public static Builder builder(HealthRegistry health) {
        return new Builder(Objects.requireNonNull(health, "health"));
    }

    /** {@return the prefix, empty or starting with '/' and without a trailing '/'} */
    public String prefix() {
        return prefix;
    }

    /** Answers one request; never throws for bad input. */
    EndpointResponse handle(EndpointRequest request) {
        String path = request.path();
        String rest = relative(path);
        if (rest == null) {
            return error(404, "no endpoint at " + path);
        }
        String method = request.method();
        if (rest.equals("/health")) {
            return get(method, () -> health(health.report(), false, true));
        }
        if (rest.equals("/livez") || rest.equals("/readyz")) {
            String group = rest.equals("/livez") ? HealthRegistry.LIVENESS : HealthRegistry.READINESS;
            return get(method, () -> health(health.report(group), false, false));
        }
        if (rest.startsWith("/health/")) {
            return healthGroup(request, rest.substring("/health/".length()));
        }
        PrometheusMeterRegistry registry = prometheus;
        if (rest.equals("/metrics") && registry != null) {
            return get(method, () -> scrape(registry, request.header("Accept")));
        }
        MetricSampler samplesFrom = sampler;
        if (rest.startsWith("/metrics/") && samplesFrom != null) {
            String name = rest.substring("/metrics/".length());
            return get(method, () -> samples(samplesFrom, name));
        }
        AlertMonitor monitor = alerts;
        if (rest.equals("/alerts") && monitor != null) {
            return get(method, () -> listAlerts(monitor));
        }
        if (rest.startsWith("/alerts/") && rest.endsWith("/resolve") && monitor != null) {
            String id = rest.substring("/alerts/".length(), rest.length() - "/resolve".length());
            if (!method.equals("POST")) {
                return error(405, method + " is not allowed here").withHeader("Allow", "POST");
            }
            return resolve(monitor, request, id);
        }
        return error(404, "no endpoint at " + path);
    }

    /** The path below the prefix without a trailing '/', or null when the path is not under the prefix. */
    private @Nullable String relative(String path) {
        if (!path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        return rest.length() > 1 && rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    }

    /**
     * The route template of a health endpoint path ({@code /ops/health}, {@code /ops/health/{group}},
     * {@code /ops/livez}...), for the request metrics middleware; null for any other path.
     */
    @Nullable String healthRoute(String path) {
        String rest = relative(path);
        if (rest == null) {
            return null;
        }
        if (rest.equals("/health") || rest.equals("/livez") || rest.equals("/readyz")
                || rest.equals("/health/detailed")) {
            return prefix + rest;
        }
        return rest.startsWith("/health/") ? prefix + "/health/{group}" : null;
    }

    private EndpointResponse healthGroup(EndpointRequest request, String name) {
        if (name.equals("detailed")) {
            return get(request.method(), () -> {
                EndpointResponse denied = deny(request);
                return denied != null ? denied : health(health.report(), true, true);
            });
        }
        String group = name.equals("live") ? HealthRegistry.LIVENESS : name.equals("ready") ? HealthRegistry.READINESS : name;
        if (!group.equals(HealthRegistry.LIVENESS) && !group.equals(HealthRegistry.READINESS)
                && !health.groups().contains(group)) {
            return error(404, "no health group " + name);
        }
        return get(request.method(), () -> health(health.report(group), false, false));
    }

    private @Nullable EndpointResponse deny(EndpointRequest request) {
        if (access.mode() == EndpointAccess.Mode.DISABLED) {
            return error(404, "this endpoint is disabled; enable it with sensitiveAccess(EndpointAccess.token(...))");
        }
        if (!access.permits(request.header("Authorization"))) {
            return error(401, "a valid bearer token is required").withHeader("WWW-Authenticate", "Bearer");
        }
        return null;
    }

    private static EndpointResponse get(String method, Supplier<EndpointResponse> body) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return body.get();
        }
        return error(405, method + " is not allowed here").withHeader("Allow", "GET, HEAD");
    }

    private EndpointResponse health(HealthReport report, boolean detailed, boolean overall) {
        int status = report.isServing() ? 200 : 503;
        Map<String, Object> body = new LinkedHashMap<>();
        if (format == HealthFormat.HEALTH_JSON) {
            body.put("status", report.isOutOfService() ? "fail" : passWarnFail(report.status()));
            body.put("score", report.score());
            if (report.isOutOfService()) {
                body.put("output", "out of service: " + report.outOfServiceReason());
            }
            if (detailed) {
                body.put("time", report.timestamp().toString());
                Map<String, Object> checks = new LinkedHashMap<>();
                for (CheckReport check : report.checks()) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("componentId", check.name());
                    entry.put("componentType", "component");
                    entry.put("status", passWarnFail(check.status()));
                    Map<String, Object> details = new LinkedHashMap<>(check.details());
                    Object observed = details.remove(HealthChecks.OBSERVED_VALUE);
                    Object unit = details.remove(HealthChecks.OBSERVED_UNIT);
                    if (observed != null) {
                        entry.put("observedValue", observed);
                    }
                    if (unit != null) {
                        entry.put("observedUnit", unit);
                    }
                    entry.put("time", check.checkedAt().toString());
                    if (check.message() != null) {
                        entry.put("output", check.message());
                    }
                    entry.put("critical", check.critical());
                    entry.put("groups", new TreeSet<>(check.groups()));
                    entry.put("durationMs", check.duration().toMillis());
                    entry.put("lastChange", check.lastChange().toString());
                    if (!details.isEmpty()) {
                        entry.put("details", details);
                    }
                    checks.put(check.name(), List.of(entry));
                }
                body.put("checks", checks);
            }
            return EndpointResponse.json(status, HEALTH_JSON, Json.write(body));
        }
        body.put("status", report.isOutOfService() && report.status() != HealthStatus.DOWN ? "OUT_OF_SERVICE"
                : actuatorStatus(report.status()));
        body.put("score", report.score());
        Map<String, Object> components = new LinkedHashMap<>();
        for (CheckReport check : report.checks()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", actuatorStatus(check.status()));
            if (detailed) {
                Map<String, Object> details = new LinkedHashMap<>(check.details());
                if (check.status() == HealthStatus.DEGRADED) {
                    details.put("degraded", true);
                }
                if (check.message() != null) {
                    details.put("message", check.message());
                }
                details.put("critical", check.critical());
                details.put("durationMs", check.duration().toMillis());
                details.put("checkedAt", check.checkedAt().toString());
                details.put("lastChange", check.lastChange().toString());
                entry.put("details", details);
            }
            components.put(check.name(), entry);
        }
        body.put("components", components);
        if (overall) {
            Set<String> groups = new TreeSet<>(health.groups());
            groups.add(HealthRegistry.LIVENESS);
            groups.add(HealthRegistry.READINESS);
            body.put("groups", groups);
        }
        return EndpointResponse.json(status, JSON, Json.write(body));
    }

    /** Actuator knows UP, DOWN, OUT_OF_SERVICE and UNKNOWN: DEGRADED still serves, so it is UP. */
    private static String actuatorStatus(HealthStatus status) {
        return status == HealthStatus.DOWN ? "DOWN" : "UP";
    }

    private static String passWarnFail(HealthStatus status) {
        return status == HealthStatus.UP ? "pass" : status == HealthStatus.DEGRADED ? "warn" : "fail";
    }

    private static EndpointResponse scrape(PrometheusMeterRegistry prometheus, @Nullable String accept) {
        if (accept != null && accept.contains("application/openmetrics-text")) {
            return EndpointResponse.text(200, OPENMETRICS, prometheus.scrape(OPENMETRICS));
        }
        return EndpointResponse.text(200, PROMETHEUS_TEXT, prometheus.scrape());
    }

    private static EndpointResponse samples(MetricSampler sampler, String name) {
        List<Map<String, Object>> series = sampler.samples(name);
        if (series.isEmpty()) {
            return error(404, "no samples of a meter named " + name);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("series", series);
        return EndpointResponse.json(200, JSON, Json.write(body));
    }

    private static EndpointResponse listAlerts(AlertMonitor alerts) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Alert alert : alerts.alerts()) {
            list.add(alertJson(alert));
        }
        return EndpointResponse.json(200, JSON, Json.write(Map.of("alerts", list)));
    }

    private EndpointResponse resolve(AlertMonitor alerts, EndpointRequest request, String id) {
        EndpointResponse denied = deny(request);
        if (denied != null) {
            return denied;
        }
        Optional<Alert> alert = alerts.resolve(id);
        if (alert.isEmpty()) {
            return error(404, "no alert with id " + id);
        }
        return EndpointResponse.json(200, JSON, Json.write(alertJson(alert.get())));
    }

    /** The JSON object of an alert, shared by {@code /alerts} and the webhook notifier. */
    static Map<String, Object> alertJson(Alert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", alert.id());
        json.put("rule", alert.rule());
        json.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
        json.put("state", alert.state().name().toLowerCase(Locale.ROOT));
        json.put("summary", alert.summary());
        json.put("activeSince", alert.activeSince().toString());
        json.put("firedAt", alert.firedAt() == null ? null : alert.firedAt().toString());
        json.put("resolvedAt", alert.resolvedAt() == null ? null : alert.resolvedAt().toString());
        json.put("acknowledged", alert.acknowledged());
        return json;
    }

    private static EndpointResponse error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        return EndpointResponse.json(status, JSON, Json.write(body));
    }

    /** {@return the effective settings, defaults included; never the access token} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of {@link HealthEndpoints}.
     *
     * @param prefix where the endpoints are mounted ("" by default: {@code /health} at the root)
     * @param format the body of {@code /health} and the group endpoints (default {@link HealthFormat#HEALTH_JSON})
     * @param sensitiveAccess who may read {@code /health/detailed} and resolve alerts: {@code DISABLED}
     *     (the default), {@code TOKEN} or {@code OPEN}; the token itself is never reported
     * @param prometheus whether {@code /metrics} is served
     * @param sampler whether {@code /metrics/{name}} is served
     * @param alerts whether {@code /alerts} is served
     */
    public record Config(String prefix, HealthFormat format, String sensitiveAccess, boolean prometheus, boolean sampler,
                         boolean alerts) {
    }

    /** Builds {@link HealthEndpoints}. Not thread-safe. */
    public static final class Builder {
        private final HealthRegistry health;
        private String prefix = "";
        private HealthFormat format = HealthFormat.HEALTH_JSON;
        private EndpointAccess access = EndpointAccess.disabled();
        private @Nullable PrometheusMeterRegistry prometheus;
        private @Nullable MetricSampler sampler;
        private @Nullable AlertMonitor alerts;

        private Builder(HealthRegistry health) {
            this.health = health;
        }

        /**
         * Where the endpoints are mounted, such as {@code /ops} (then {@code /ops/health}). Default none.
         *
         * @param prefix "" or a path such as {@code /ops}
         * @return this builder
         * @throws IllegalArgumentException if not empty and not starting with '/', or containing
         *     characters other than letters, digits, '/', '-', '_' and '.'
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            String normalized = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            if (!normalized.isEmpty() && (!normalized.startsWith("/") || !normalized.matches("[A-Za-z0-9/._-]+"))) {
                throw new IllegalArgumentException("prefix must be empty or a path starting with '/': " + prefix);
            }
            this.prefix = normalized;
            return this;
        }

        /**
         * The JSON shape. Default {@link HealthFormat#HEALTH_JSON}.
         *
         * @param format the body shape of {@code /health} and the group endpoints
         * @return this builder
         */
        public Builder format(HealthFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Who may read {@code /health/detailed} and post {@code /alerts/{id}/resolve}. Default
         * {@link EndpointAccess#disabled()}.
         *
         * @param access disabled, a bearer token, or open
         * @return this builder
         */
        public Builder sensitiveAccess(EndpointAccess access) {
            this.access = Objects.requireNonNull(access, "access");
            return this;
        }

        /**
         * Serves {@code /metrics} from this registry.
         *
         * @param registry the registry to scrape; {@code /metrics} answers 404 without one
         * @return this builder
         */
        public Builder prometheus(PrometheusMeterRegistry registry) {
            this.prometheus = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Serves {@code /metrics/{name}} from this sampler.
         *
         * @param sampler the sampler to read; {@code /metrics/{name}} answers 404 without one
         * @return this builder
         */
        public Builder sampler(MetricSampler sampler) {
            this.sampler = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        /**
         * Serves {@code /alerts} from this monitor.
         *
         * @param alerts the monitor to list and resolve; {@code /alerts} answers 404 without one
         * @return this builder
         */
        public Builder alerts(AlertMonitor alerts) {
            this.alerts = Objects.requireNonNull(alerts, "alerts");
            return this;
        }

        /**
         * Builds the endpoints; mount them with {@link HealthHttpHandler} or {@link HealthServlet}.
         *
         * @return thread-safe endpoints
         */
        public HealthEndpoints build() {
            return new HealthEndpoints(this);
        }
    }
}
