package dev.resilience.core;

import dev.resilience.core.internal.Arguments;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Named policies created on first use from named configurations, so a service configures its
 * circuit breakers, retries, timeouts and bulkheads in one place (code or properties) and looks them up
 * by name where it calls out.
 *
 * <pre>{@code
 * ResilienceRegistry registry = ResilienceRegistry.builder()
 *     .circuitBreakerConfig("default", b -> b.failureRateThreshold(50).openDuration(Duration.ofSeconds(30)))
 *     .circuitBreakerConfig("slow-dependency", b -> b.slowCallDuration(Duration.ofSeconds(5)))
 *     .retryConfig("default", b -> b.maxAttempts(4))
 *     .properties(applicationProperties)   // resilience.circuitbreaker.instances.payments.* and so on
 *     .build();
 * CircuitBreaker payments = registry.circuitBreaker("payments", "default");
 * CircuitBreaker reports = registry.circuitBreaker("reports", "slow-dependency");
 * new ResilienceRegistryMetrics(registry).bindTo(meterRegistry);   // every policy, present and future
 * }</pre>
 *
 * <p>How a policy named {@code n} is built: a fresh builder named {@code n}, then the configuration asked
 * for (or, when none is asked for, the instance's {@code base-config}, else the configuration called
 * {@code "default"} if there is one, else the library's defaults), then the settings given for instance
 * {@code n} itself. The first request creates the policy; later requests return the same one. Asking for
 * it again with another configuration is an error rather than a silent surprise.
 *
 * <p>Properties ({@link Builder#properties(Map)}): {@code resilience.<kind>.configs.<config>.<property>}
 * and {@code resilience.<kind>.instances.<name>.<property>}, kind being {@code circuitbreaker},
 * {@code retry}, {@code timeout} or {@code bulkhead} and property the builder method's name in kebab case
 * ({@code failure-rate-threshold}, {@code max-attempts}); the table is in the core README. The Spring Boot
 * starter binds the same keys.
 *
 * <p>Configurations are checked when the registry is built: a bad property or value, an instance naming
 * an unknown base configuration, or an instance that cannot be built fails {@link Builder#build()} with a
 * message naming the key and value. Thread-safe; creation listeners run on the thread that creates.
 */
public final class ResilienceRegistry {

    private final Section<CircuitBreaker, CircuitBreaker.Builder> circuitBreakers;
    private final Section<Retry, Retry.Builder> retries;
    private final Section<Timeout, Timeout.Builder> timeouts;
    private final Section<Bulkhead, Bulkhead.Builder> bulkheads;
    private final List<Consumer<? super Policy>> creationListeners = new CopyOnWriteArrayList<>();

    private ResilienceRegistry(Builder builder) {
        this.circuitBreakers = new Section<>(builder.circuitBreakerConfigs.copy(), CircuitBreaker.Builder::build);
        this.retries = new Section<>(builder.retryConfigs.copy(), Retry.Builder::build);
        this.timeouts = new Section<>(builder.timeoutConfigs.copy(), Timeout.Builder::build);
        this.bulkheads = new Section<>(builder.bulkheadConfigs.copy(), Bulkhead.Builder::build);
    }

    /** {@return a registry without configurations: every policy gets the library's defaults} */
    public static ResilienceRegistry ofDefaults() {
        return builder().build();
    }

    /**
     * A builder of an empty registry; add configurations, instances or properties to it.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The circuit breaker called {@code name}: created on first use from its instance settings, its base
     * configuration or the {@code "default"} configuration.
     *
     * @param name the policy name
     * @return the breaker, the same instance on every call
     */
    public CircuitBreaker circuitBreaker(String name) {
        return circuitBreakers.get(name, null);
    }

    /**
     * The circuit breaker called {@code name}, created on first use from configuration {@code config}.
     *
     * @param name the policy name
     * @param config the configuration name
     * @return the breaker, the same instance on every call
     * @throws IllegalArgumentException if there is no such configuration, or the breaker already exists
     *                                  with another configuration
     */
    public CircuitBreaker circuitBreaker(String name, String config) {
        return circuitBreakers.get(name, Objects.requireNonNull(config, "config"));
    }

    /**
     * The retry called {@code name}, as {@link #circuitBreaker(String)}.
     *
     * @param name the policy name
     * @return the retry, the same instance on every call
     */
    public Retry retry(String name) {
        return retries.get(name, null);
    }

    /**
     * The retry called {@code name} from configuration {@code config}, as {@link #circuitBreaker(String, String)}.
     *
     * @param name the policy name
     * @param config the configuration name
     * @return the retry, the same instance on every call
     */
    public Retry retry(String name, String config) {
        return retries.get(name, Objects.requireNonNull(config, "config"));
    }

    /**
     * The timeout called {@code name}, as {@link #circuitBreaker(String)}.
     *
     * @param name the policy name
     * @return the timeout, the same instance on every call
     * @throws IllegalArgumentException if neither its instance settings nor its configuration set a duration
     */
    public Timeout timeout(String name) {
        return timeouts.get(name, null);
    }

    /**
     * The timeout called {@code name} from configuration {@code config}.
     *
     * @param name the policy name
     * @param config the configuration name
     * @return the timeout, the same instance on every call
     */
    public Timeout timeout(String name, String config) {
        return timeouts.get(name, Objects.requireNonNull(config, "config"));
    }

    /**
     * The bulkhead called {@code name}, as {@link #circuitBreaker(String)}.
     *
     * @param name the policy name
     * @return the bulkhead, the same instance on every call
     */
    public Bulkhead bulkhead(String name) {
        return bulkheads.get(name, null);
    }

    /**
     * The bulkhead called {@code name} from configuration {@code config}.
     *
     * @param name the policy name
     * @param config the configuration name
     * @return the bulkhead, the same instance on every call
     */
    public Bulkhead bulkhead(String name, String config) {
        return bulkheads.get(name, Objects.requireNonNull(config, "config"));
    }

    /** {@return every policy created so far (circuit breakers, retries, timeouts, bulkheads)} */
    public List<Policy> policies() {
        List<Policy> all = new ArrayList<>();
        all.addAll(circuitBreakers.created());
        all.addAll(retries.created());
        all.addAll(timeouts.created());
        all.addAll(bulkheads.created());
        return Collections.unmodifiableList(all);
    }

    /**
     * Calls {@code listener} with each policy this registry creates from now on (the Micrometer binder
     * uses it). Policies created earlier are in {@link #policies()}.
     *
     * @param listener called with each new policy on the creating thread
     */
    public void addCreationListener(Consumer<? super Policy> listener) {
        creationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void notifyCreated(Policy policy) {
        for (Consumer<? super Policy> listener : creationListeners) {
            listener.accept(policy);
        }
    }

    @Override
    public String toString() {
        return "ResilienceRegistry" + policies();
    }

    /** The configurations and created policies of one kind. */
    private final class Section<P extends Policy, B> {
        final Configurations<B> configurations;
        final Function<B, P> build;
        final Map<String, Created<P>> created = new ConcurrentHashMap<>();

        Section(Configurations<B> configurations, Function<B, P> build) {
            this.configurations = configurations;
            this.build = build;
        }

        P get(String name, @Nullable String config) {
            Arguments.name(name);
            String base = configurations.baseFor(name, config);
            Created<P> existing = created.get(name);
            if (existing == null) {
                boolean[] isNew = new boolean[1];
                existing = created.computeIfAbsent(name, n -> {
                    isNew[0] = true;
                    return new Created<>(build.apply(configurations.builder(n, base)), base);
                });
                if (isNew[0]) {
                    notifyCreated(existing.policy);
                }
            }
            if (!Objects.equals(existing.config, base)) {
                throw new IllegalArgumentException(configurations.kind.key + " '" + name
                        + "' already exists with configuration " + quoted(existing.config) + ", asked for " + quoted(base));
            }
            return existing.policy;
        }

        List<P> created() {
            List<P> policies = new ArrayList<>();
            created.values().forEach(c -> policies.add(c.policy));
            return policies;
        }
    }

    private static String quoted(@Nullable String config) {
        return config == null ? "(library defaults)" : "'" + config + "'";
    }

    private static final class Created<P> {
        final P policy;
        /** The configuration it was built from; null when none applied. */
        final @Nullable String config;

        Created(P policy, @Nullable String config) {
            this.policy = policy;
            this.config = config;
        }
    }

    /** Named configurations and instance settings of one kind of policy; frozen when the registry is built. */
    private static final class Configurations<B> {
        final PolicyProperties.Kind<B> kind;
        final Map<String, Consumer<B>> configs = new HashMap<>();
        final Map<String, Consumer<B>> instances = new HashMap<>();
        final Map<String, String> instanceBase = new HashMap<>();

        Configurations(PolicyProperties.Kind<B> kind) {
            this.kind = kind;
        }

        /** A copy the builder can no longer change. */
        Configurations<B> copy() {
            Configurations<B> copy = new Configurations<>(kind);
            copy.configs.putAll(configs);
            copy.instances.putAll(instances);
            copy.instanceBase.putAll(instanceBase);
            return copy;
        }

        void config(String name, Consumer<B> template) {
            configs.merge(Arguments.name(name), Objects.requireNonNull(template, "config"), Consumer::andThen);
        }

        void instance(String name, @Nullable String baseConfig, Consumer<B> template) {
            instances.merge(Arguments.name(name), Objects.requireNonNull(template, "settings"), Consumer::andThen);
            if (baseConfig != null) {
                instanceBase.put(name, Arguments.name(baseConfig));
            }
        }

        /** The configuration a policy called {@code name} is built from, or null for the library defaults. */
        @Nullable String baseFor(String name, @Nullable String asked) {
            if (asked != null) {
                if (!configs.containsKey(asked)) {
                    throw new IllegalArgumentException("no " + kind.key + " configuration '" + asked + "' (known: "
                            + String.join(", ", new TreeSet<>(configs.keySet())) + ")");
                }
                return asked;
            }
            String base = instanceBase.get(name);
            if (base != null) {
                return base;
            }
            return configs.containsKey("default") ? "default" : null;
        }

        B builder(String name, @Nullable String base) {
            B builder = kind.newBuilder.apply(name);
            if (base != null) {
                Consumer<B> config = configs.get(base);
                if (config == null) {
                    // baseFor and check() name only known configurations
                    throw new IllegalStateException("no " + kind.key + " configuration '" + base + "'");
                }
                config.accept(builder);
            }
            Consumer<B> instance = instances.get(name);
            if (instance != null) {
                instance.accept(builder);
            }
            return builder;
        }

        /** Checks each configuration and instance now, so mistakes show at start-up: {@code build} throws on one. */
        void check(Consumer<B> build) {
            for (Map.Entry<String, String> entry : instanceBase.entrySet()) {
                if (!configs.containsKey(entry.getValue())) {
                    throw new IllegalArgumentException(PolicyProperties.PREFIX + kind.key + ".instances." + entry.getKey()
                            + "." + PolicyProperties.BASE_CONFIG + "=" + entry.getValue() + ": no such configuration (known: "
                            + String.join(", ", new TreeSet<>(configs.keySet())) + ")");
                }
            }
            for (String config : configs.keySet()) {
                try {
                    configs.get(config).accept(kind.newBuilder.apply("probe"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(kind.key + " configuration '" + config + "': " + e.getMessage(), e);
                }
            }
            for (String instance : instances.keySet()) {
                try {
                    build.accept(builder(instance, baseFor(instance, null)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(kind.key + " instance '" + instance + "': " + e.getMessage(), e);
                }
            }
        }
    }

    /** Builds a {@link ResilienceRegistry}. Not thread-safe; the registry it builds is. */
    public static final class Builder {
        private final Configurations<CircuitBreaker.Builder> circuitBreakerConfigs =
                new Configurations<>(PolicyProperties.CIRCUIT_BREAKER);
        private final Configurations<Retry.Builder> retryConfigs = new Configurations<>(PolicyProperties.RETRY);
        private final Configurations<Timeout.Builder> timeoutConfigs = new Configurations<>(PolicyProperties.TIMEOUT);
        private final Configurations<Bulkhead.Builder> bulkheadConfigs = new Configurations<>(PolicyProperties.BULKHEAD);

        private Builder() {
        }

        /**
         * Adds (or extends) circuit breaker configuration {@code name}; {@code "default"} applies when none is named.
         *
         * @param name the configuration name
         * @param config applied to the builder of every breaker built from it
         * @return this builder
         */
        public Builder circuitBreakerConfig(String name, Consumer<CircuitBreaker.Builder> config) {
            circuitBreakerConfigs.config(name, config);
            return this;
        }

        /**
         * Settings for the circuit breaker called {@code name} only, applied after its configuration.
         *
         * @param name the breaker name
         * @param settings applied after its configuration
         * @return this builder
         */
        public Builder circuitBreakerInstance(String name, Consumer<CircuitBreaker.Builder> settings) {
            circuitBreakerConfigs.instance(name, null, settings);
            return this;
        }

        /**
         * Adds (or extends) retry configuration {@code name}.
         *
         * @param name the configuration name
         * @param config applied to the builder of every retry built from it
         * @return this builder
         */
        public Builder retryConfig(String name, Consumer<Retry.Builder> config) {
            retryConfigs.config(name, config);
            return this;
        }

        /**
         * Settings for the retry called {@code name} only, applied after its configuration.
         *
         * @param name the retry name
         * @param settings applied after its configuration
         * @return this builder
         */
        public Builder retryInstance(String name, Consumer<Retry.Builder> settings) {
            retryConfigs.instance(name, null, settings);
            return this;
        }

        /**
         * Adds (or extends) timeout configuration {@code name}.
         *
         * @param name the configuration name
         * @param config applied to the builder of every timeout built from it
         * @return this builder
         */
        public Builder timeoutConfig(String name, Consumer<Timeout.Builder> config) {
            timeoutConfigs.config(name, config);
            return this;
        }

        /**
         * Settings for the timeout called {@code name} only, applied after its configuration.
         *
         * @param name the timeout name
         * @param settings applied after its configuration
         * @return this builder
         */
        public Builder timeoutInstance(String name, Consumer<Timeout.Builder> settings) {
            timeoutConfigs.instance(name, null, settings);
            return this;
        }

        /**
         * Adds (or extends) bulkhead configuration {@code name}.
         *
         * @param name the configuration name
         * @param config applied to the builder of every bulkhead built from it
         * @return this builder
         */
        public Builder bulkheadConfig(String name, Consumer<Bulkhead.Builder> config) {
            bulkheadConfigs.config(name, config);
            return this;
        }

        /**
         * Settings for the bulkhead called {@code name} only, applied after its configuration.
         *
         * @param name the bulkhead name
         * @param settings applied after its configuration
         * @return this builder
         */
        public Builder bulkheadInstance(String name, Consumer<Bulkhead.Builder> settings) {
            bulkheadConfigs.instance(name, null, settings);
            return this;
        }

        /**
         * Adds the configurations and instance settings found under {@code resilience.circuitbreaker.},
         * {@code resilience.retry.}, {@code resilience.timeout.} and {@code resilience.bulkhead.}; other keys
         * are ignored (they belong to other modules). Values are converted and checked now.
         *
         * @param properties flat keys and values, e.g. from a configuration file; other keys are ignored
         * @return this builder
         * @throws IllegalArgumentException naming the key and value of an unknown property or a bad value
         */
        public Builder properties(Map<String, String> properties) {
            Objects.requireNonNull(properties, "properties");
            for (PolicyProperties.Section<?> section : PolicyProperties.sections(properties)) {
                add(section);
            }
            return this;
        }

        /**
         * {@link #properties(Map)} from {@link Properties} (string keys and values only).
         *
         * @param properties the properties
         * @return this builder
         */
        public Builder properties(Properties properties) {
            Objects.requireNonNull(properties, "properties");
            Map<String, String> map = new HashMap<>();
            for (String key : properties.stringPropertyNames()) {
                map.put(key, properties.getProperty(key));
            }
            return properties(map);
        }

        @SuppressWarnings("unchecked")
        private <B> void add(PolicyProperties.Section<B> section) {
            Configurations<B> target;
            if (section.kind == PolicyProperties.CIRCUIT_BREAKER) {
                target = (Configurations<B>) circuitBreakerConfigs;
            } else if (section.kind == PolicyProperties.RETRY) {
                target = (Configurations<B>) retryConfigs;
            } else if (section.kind == PolicyProperties.TIMEOUT) {
                target = (Configurations<B>) timeoutConfigs;
            } else {
                target = (Configurations<B>) bulkheadConfigs;
            }
            Consumer<B> template = section.template();
            if (section.instance) {
                target.instance(section.name, section.baseConfig(), template);
            } else {
                target.config(section.name, template);
            }
        }

        /**
         * @return the registry; it creates each policy on first use
         * @throws IllegalArgumentException if an instance names an unknown base configuration or cannot be
         *                                  built with its settings (the message names it)
         */
        public ResilienceRegistry build() {
            circuitBreakerConfigs.check(CircuitBreaker.Builder::build);
            retryConfigs.check(Retry.Builder::build);
            timeoutConfigs.check(Timeout.Builder::build);
            bulkheadConfigs.check(Bulkhead.Builder::build);
            return new ResilienceRegistry(this);
        }
    }
}
