package dev.resilience.spring.boot.annotation;

import dev.resilience.core.Policy;
import dev.resilience.core.ResilienceRegistry;
import java.util.Set;
import java.util.function.Supplier;

/** Makes {@link Retry} work: the registry's retry of that name. Thread-safe. */
public final class RetryAnnotationPolicy implements AnnotationPolicy<Retry> {
    private final Supplier<ResilienceRegistry> registry;
    private final Supplier<Set<String>> declared;
    private final boolean requireDeclared;

    /**
     * @param registry        where the instances come from, asked when the first annotated method is found
     *                        (so that this handler can exist before the registry)
     * @param declared        the names under {@code resilience.retry.instances}
     * @param requireDeclared whether a name must be among them
     */
    public RetryAnnotationPolicy(Supplier<ResilienceRegistry> registry, Supplier<Set<String>> declared,
            boolean requireDeclared) {
        this.registry = registry;
        this.declared = declared;
        this.requireDeclared = requireDeclared;
    }

    @Override
    public Class<Retry> annotationType() {
        return Retry.class;
    }

    @Override
    public int order() {
        return RETRY;
    }

    @Override
    public String fallbackMethod(Retry annotation) {
        return annotation.fallbackMethod();
    }

    @Override
    public Policy policy(Retry annotation) {
        String name = new DeclaredInstances("retry", declared.get(), requireDeclared).check(annotation.name());
        return registry.get().retry(name);
    }
}
