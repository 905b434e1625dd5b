package dev.resilience.spring.boot.annotation;

import dev.resilience.core.Policy;
import dev.resilience.core.ResilienceRegistry;
import java.util.Set;
import java.util.function.Supplier;

/** Makes {@link CircuitBreaker} work: the registry's circuitBreaker of that name. Thread-safe. */
public final class CircuitBreakerAnnotationPolicy implements AnnotationPolicy<CircuitBreaker> {
    private final Supplier<ResilienceRegistry> registry;
    private final Supplier<Set<String>> declared;
    private final boolean requireDeclared;

    /**
     * @param registry        where the instances come from, asked when the first annotated method is found
     *                        (so that this handler can exist before the registry)
     * @param declared        the names under {@code resilience.circuitbreaker.instances}
     * @param requireDeclared whether a name must be among them
     */
    public CircuitBreakerAnnotationPolicy(Supplier<ResilienceRegistry> registry, Supplier<Set<String>> declared,
            boolean requireDeclared) {
        this.registry = registry;
        this.declared = declared;
        this.requireDeclared = requireDeclared;
    }

    @Override
    public Class<CircuitBreaker> annotationType() {
        return CircuitBreaker.class;
    }

    @Override
    public int order() {
        return CIRCUIT_BREAKER;
    }

    @Override
    public String fallbackMethod(CircuitBreaker annotation) {
        return annotation.fallbackMethod();
    }

    @Override
    public Policy policy(CircuitBreaker annotation) {
        String name = new DeclaredInstances("circuitbreaker", declared.get(), requireDeclared).check(annotation.name());
        return registry.get().circuitBreaker(name);
    }
}
