package dev.resilience.spring.boot.annotation;

import dev.resilience.core.Policy;
import dev.resilience.core.ResilienceRegistry;
import java.util.Set;
import java.util.function.Supplier;

/** Makes {@link Bulkhead} work: the registry's bulkhead of that name. Thread-safe. */
public final class BulkheadAnnotationPolicy implements AnnotationPolicy<Bulkhead> {
    private final Supplier<ResilienceRegistry> registry;
    private final Supplier<Set<String>> declared;
    private final boolean requireDeclared;

    /**
     * @param registry        where the instances come from, asked when the first annotated method is found
     *                        (so that this handler can exist before the registry)
     * @param declared        the names under {@code resilience.bulkhead.instances}
     * @param requireDeclared whether a name must be among them
     */
    public BulkheadAnnotationPolicy(Supplier<ResilienceRegistry> registry, Supplier<Set<String>> declared,
            boolean requireDeclared) {
        this.registry = registry;
        this.declared = declared;
        this.requireDeclared = requireDeclared;
    }

    @Override
    public Class<Bulkhead> annotationType() {
        return Bulkhead.class;
    }

    @Override
    public int order() {
        return BULKHEAD;
    }

    @Override
    public String fallbackMethod(Bulkhead annotation) {
        return annotation.fallbackMethod();
    }

    @Override
    public Policy policy(Bulkhead annotation) {
        String name = new DeclaredInstances("bulkhead", declared.get(), requireDeclared).check(annotation.name());
        return registry.get().bulkhead(name);
    }
}
