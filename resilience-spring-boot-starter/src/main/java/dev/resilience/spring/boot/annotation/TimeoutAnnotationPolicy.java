package dev.resilience.spring.boot.annotation;

import dev.resilience.core.Policy;
import dev.resilience.core.ResilienceRegistry;
import java.util.Set;
import java.util.function.Supplier;

/** Makes {@link Timeout} work: the registry's timeout of that name. Thread-safe. */
public final class TimeoutAnnotationPolicy implements AnnotationPolicy<Timeout> {
    private final Supplier<ResilienceRegistry> registry;
    private final Supplier<Set<String>> declared;
    private final boolean requireDeclared;

    /**
     * @param registry        where the instances come from, asked when the first annotated method is found
     *                        (so that this handler can exist before the registry)
     * @param declared        the names under {@code resilience.timeout.instances}
     * @param requireDeclared whether a name must be among them
     */
    public TimeoutAnnotationPolicy(Supplier<ResilienceRegistry> registry, Supplier<Set<String>> declared,
            boolean requireDeclared) {
        this.registry = registry;
        this.declared = declared;
        this.requireDeclared = requireDeclared;
    }

    @Override
    public Class<Timeout> annotationType() {
        return Timeout.class;
    }

    @Override
    public int order() {
        return TIMEOUT;
    }

    @Override
    public String fallbackMethod(Timeout annotation) {
        return annotation.fallbackMethod();
    }

    @Override
    public Policy policy(Timeout annotation) {
        String name = new DeclaredInstances("timeout", declared.get(), requireDeclared).check(annotation.name());
        return registry.get().timeout(name);
    }
}
