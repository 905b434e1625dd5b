package dev.resilience.core;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads policy settings from flat string properties for {@link ResilienceRegistry.Builder#properties(Map)}:
 * {@code resilience.<kind>.configs.<config>.<property>} and
 * {@code resilience.<kind>.instances.<name>.<property>} (plus {@code base-config} for an instance), where
 * kind is {@code circuitbreaker}, {@code retry}, {@code timeout} or {@code bulkhead} and property is the
 * kebab-case name of the builder method. Each value is converted and applied to a throwaway builder at
 * once, so a bad key or value fails here with a message naming both.
 */
final class PolicyProperties {

    static final String PREFIX = "resilience.";
    static final String BASE_CONFIG = "base-config";
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)?");
    private static final List<String> BACKOFF_KEYS = List.of("backoff", "backoff-delay", "backoff-multiplier",
            "backoff-max-delay", "jitter");

    /** The values of the {@code backoff} key. */
    private enum BackoffType { NONE, FIXED, EXPONENTIAL }

    /** The settings of one kind of policy, by property name. */
    static final class Kind<B> {
        final String key;
        final Function<String, B> newBuilder;
        final Map<String, Function<String, Consumer<B>>> properties;

        Kind(String key, Function<String, B> newBuilder, Map<String, Function<String, Consumer<B>>> properties) {
            this.key = key;
            this.newBuilder = newBuilder;
            this.properties = properties;
        }
    }

    static final Kind<CircuitBreaker.Builder> CIRCUIT_BREAKER = new Kind<>("circuitbreaker", CircuitBreaker::builder,
            properties(Map.ofEntries(
                    Map.entry("failure-rate-threshold", v -> {
                        float percent = decimal(v);
                        return b -> b.failureRateThreshold(percent);
                    }),
                    Map.entry("slow-call-rate-threshold", v -> {
                        float percent = decimal(v);
                        return b -> b.slowCallRateThreshold(percent);
                    }),
                    Map.entry("slow-call-duration", v -> {
                        Duration d = duration(v);
                        return b -> b.slowCallDuration(d);
                    }),
                    Map.entry("count-based-window", v -> {
                        int calls = integer(v);
                        return b -> b.countBasedWindow(calls);
                    }),
                    Map.entry("time-based-window", v -> {
                        Duration d = duration(v);
                        return b -> b.timeBasedWindow(d);
                    }),
                    Map.entry("minimum-number-of-calls", v -> {
                        int calls = integer(v);
                        return b -> b.minimumNumberOfCalls(calls);
                    }),
                    Map.entry("open-duration", v -> {
                        Duration d = duration(v);
                        return b -> b.openDuration(d);
                    }),
                    Map.entry("open-duration-multiplier", v -> {
                        double m = decimal(v);
                        return b -> b.openDurationMultiplier(m);
                    }),
                    Map.entry("max-open-duration", v -> {
                        Duration d = duration(v);
                        return b -> b.maxOpenDuration(d);
                    }),
                    Map.entry("permitted-calls-in-half-open", v -> {
                        int calls = integer(v);
                        return b -> b.permittedCallsInHalfOpen(calls);
                    }),
                    Map.entry("max-wait-in-half-open", v -> {
                        Duration d = duration(v);
                        return b -> b.maxWaitInHalfOpen(d);
                    }),
                    Map.entry("record-on", v -> {
                        Class<? extends Throwable>[] types = throwables(v);
                        return b -> b.recordOn(types);
                    }),
                    Map.entry("ignore", v -> {
                        Class<? extends Throwable>[] types = throwables(v);
                        return b -> b.ignore(types);
                    }))));

    static final Kind<Retry.Builder> RETRY = new Kind<>("retry", Retry::builder, properties(Map.ofEntries(
            Map.entry("max-attempts", v -> {
                int attempts = integer(v);
                return b -> b.maxAttempts(attempts);
            }),
            Map.entry("max-duration", v -> {
                Duration d = duration(v);
                return b -> b.maxDuration(d);
            }),
            Map.entry("retry-on", v -> {
                Class<? extends Throwable>[] types = throwables(v);
                return b -> b.retryOn(types);
            }),
            Map.entry("abort-on", v -> {
                Class<? extends Throwable>[] types = throwables(v);
                return b -> b.abortOn(types);
            }),
            Map.entry("retry-rejections", v -> {
                boolean retry = bool(v);
                return b -> b.retryRejections(retry);
            }))));

    static final Kind<Timeout.Builder> TIMEOUT = new Kind<>("timeout", Timeout::builder, properties(Map.of(
            "duration", v -> {
                Duration d = duration(v);
                return b -> b.duration(d);
            },
            "cancel-on-timeout", v -> {
                boolean cancel = bool(v);
                return b -> b.cancelOnTimeout(cancel);
            })));

    static final Kind<Bulkhead.Builder> BULKHEAD = new Kind<>("bulkhead", Bulkhead::builder, properties(Map.of(
            "max-concurrent-calls", v -> {
                int calls = integer(v);
                return b -> b.maxConcurrentCalls(calls);
            },
            "max-wait", v -> {
                Duration d = duration(v);
                return b -> b.maxWait(d);
            })));

    private PolicyProperties() {
    }

    private static <B> Map<String, Function<String, Consumer<B>>> properties(
            Map<String, Function<String, Consumer<B>>> properties) {
        return new TreeMap<>(properties);
    }

    /** The settings found for one configuration or instance. */
    static final class Section<B> {
        final Kind<B> kind;
        final boolean instance;
        final String name;
        final Map<String, String> values = new LinkedHashMap<>();

        Section(Kind<B> kind, boolean instance, String name) {
            this.kind = kind;
            this.instance = instance;
            this.name = name;
        }

        String key(String property) {
            return PREFIX + kind.key + (instance ? ".instances." : ".configs.") + name + "." + property;
        }

        /** The base configuration an instance names, or null. */
        @Nullable String baseConfig() {
            return values.get(BASE_CONFIG);
        }

        /**
         * One template applying every setting in order.
         *
         * @throws IllegalArgumentException naming the key and value of the first bad setting
         */
        Consumer<B> template() {
            List<Consumer<B>> steps = new ArrayList<>();
            for (Map.Entry<String, String> entry : values.entrySet()) {
                String property = entry.getKey();
                if (property.equals(BASE_CONFIG) || BACKOFF_KEYS.contains(property)) {
                    continue;
                }
                Function<String, Consumer<B>> setter = kind.properties.get(property);
                if (setter == null) {
                    throw new IllegalArgumentException("unknown property " + key(property) + "=" + entry.getValue()
                            + " (known: " + String.join(", ", known()) + ")");
                }
                steps.add(checked(property, entry.getValue(), setter));
            }
            if (kind == RETRY && BACKOFF_KEYS.stream().anyMatch(values::containsKey)) {
                Backoff backoff = backoff();
                steps.add(b -> ((Retry.Builder) b).backoff(backoff));
            }
            return builder -> steps.forEach(step -> step.accept(builder));
        }

        private List<String> known() {
            List<String> known = new ArrayList<>(kind.properties.keySet());
            if (kind == RETRY) {
                known.addAll(BACKOFF_KEYS);
            }
            if (instance) {
                known.add(BASE_CONFIG);
            }
            return known;
        }

        /** Converts {@code value} and applies it to a throwaway builder, so a bad one fails now. */
        private Consumer<B> checked(String property, String value, Function<String, Consumer<B>> setter) {
            try {
                Consumer<B> step = setter.apply(value);
                step.accept(kind.newBuilder.apply("probe"));
                return step;
            } catch (IllegalArgumentException e) {
                String shown = value == null ? "" : "=" + value;
                throw new IllegalArgumentException(key(property) + shown + ": " + e.getMessage(), e);
            }
        }

        /** The backoff keys of one section make one {@link Backoff}, replacing the base configuration's. */
        private Backoff backoff() {
            String type = values.containsKey("backoff")
                    ? property("backoff", v -> enumValue(BackoffType.class, v)).name() : "EXPONENTIAL";
            Duration delay = values.containsKey("backoff-delay")
                    ? property("backoff-delay", PolicyProperties::duration) : Duration.ofMillis(100);
            double multiplier = values.containsKey("backoff-multiplier")
                    ? property("backoff-multiplier", PolicyProperties::decimal) : 2.0;
            Duration max = values.containsKey("backoff-max-delay")
                    ? property("backoff-max-delay", PolicyProperties::duration) : Duration.ofSeconds(5);
            Jitter jitter = values.containsKey("jitter") ? property("jitter", v -> enumValue(Jitter.class, v)) : null;
            try {
                switch (type) {
                    case "NONE":
                        return Backoff.none();
                    case "FIXED":
                        return Backoff.fixed(delay).withJitter(jitter == null ? Jitter.NONE : jitter);
                    default:
                        return Backoff.exponential(delay, multiplier, max).withJitter(jitter == null ? Jitter.FULL : jitter);
                }
            } catch (IllegalArgumentException e) {
                List<String> given = new ArrayList<>();
                for (String property : BACKOFF_KEYS) {
                    if (values.containsKey(property)) {
                        given.add(key(property) + "=" + values.get(property));
                    }
                }
                throw new IllegalArgumentException(String.join(", ", given) + ": " + e.getMessage(), e);
            }
        }

        private <T> T property(String property, Function<String, T> parser) {
            String value = values.get(property);
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key(property) + "=" + value + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Groups the properties under {@code resilience.<kind>.} by configuration and instance; other keys
     * (those of other modules) are left alone.
     *
     * @throws IllegalArgumentException for a key under a known kind that is not {@code configs.<name>.<property>}
     *                                  or {@code instances.<name>.<property>}
     */
    static List<Section<?>> sections(Map<String, String> properties) {
        Map<String, Section<?>> sections = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(properties).entrySet()) {
            String key = entry.getKey();
            for (Kind<?> kind : List.of(CIRCUIT_BREAKER, RETRY, TIMEOUT, BULKHEAD)) {
                String prefix = PREFIX + kind.key + ".";
                if (key.startsWith(prefix)) {
                    add(sections, kind, key, key.substring(prefix.length()), entry.getValue());
                }
            }
        }
        return new ArrayList<>(sections.values());
    }

    private static <B> void add(Map<String, Section<?>> sections, Kind<B> kind, String key, String rest, String value) {
        String[] parts = rest.split("\\.", 3);
        boolean instance = parts[0].equals("instances");
        if (parts.length != 3 || !(instance || parts[0].equals("configs")) || parts[1].isBlank() || parts[2].isBlank()) {
            throw new IllegalArgumentException("unknown property " + key + "=" + value + ": expected "
                    + PREFIX + kind.key + ".configs.<config>.<property> or " + PREFIX + kind.key
                    + ".instances.<name>.<property>");
        }
        if (!instance && parts[2].equals(BASE_CONFIG)) {
            throw new IllegalArgumentException("unknown property " + key + "=" + value
                    + ": base-config applies to instances only");
        }
        @SuppressWarnings("unchecked")
        Section<B> section = (Section<B>) sections.computeIfAbsent(kind.key + "/" + parts[0] + "/" + parts[1],
                k -> new Section<>(kind, instance, parts[1]));
        section.values.put(parts[2], value == null ? "" : value.trim());
    }

    static int integer(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    static float decimal(String value) {
        try {
            return Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number");
        }
    }

    static boolean bool(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new IllegalArgumentException("expected true or false");
    }

    /**
     * A duration: ISO-8601 ({@code PT2S}) or a whole number with a unit, {@code ns}, {@code us},
     * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} (milliseconds without one), as Spring Boot
     * reads durations.
     */
    static Duration duration(String value) {
        String v = value.trim();
        if (v.regionMatches(true, 0, "P", 0, 1) || v.regionMatches(true, 0, "-P", 0, 2)) {
            try {
                return Duration.parse(v);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("expected a duration such as 500ms, 2s or PT2S");
            }
        }
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 2s or PT2S");
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 2s or PT2S");
        }
        String unit = m.group(2) == null ? "ms" : m.group(2);
        switch (unit) {
            case "ns":
                return Duration.ofNanos(amount);
            case "us":
                return Duration.of(amount, ChronoUnit.MICROS);
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(v)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("expected one of " + String.join(", ", names));
    }

    /** Comma-separated class names of exception types, loaded without initialising them. */
    @SuppressWarnings("unchecked")
    static Class<? extends Throwable>[] throwables(String value) {
        List<Class<? extends Throwable>> types = new ArrayList<>();
        for (String name : value.split(",")) {
            String className = name.trim();
            if (className.isEmpty()) {
                continue;
            }
            Class<?> type;
            try {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                type = Class.forName(className, false, loader != null ? loader : PolicyProperties.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("class " + className + " not found");
            }
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(className + " is not an exception type");
            }
            types.add((Class<? extends Throwable>) type);
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("expected comma-separated exception class names");
        }
        return types.toArray(new Class[0]);
    }
}
