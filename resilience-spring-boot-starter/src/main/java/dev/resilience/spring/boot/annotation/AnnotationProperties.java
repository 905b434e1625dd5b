package dev.resilience.spring.boot.annotation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code resilience.annotations.*}: how the method annotations are checked. Bound once at start-up. */
@ConfigurationProperties(prefix = "resilience.annotations")
public class AnnotationProperties {

    /** Whether the method annotations are honoured at all. */
    private boolean enabled = true;

    /**
     * Whether an annotation's name must be configured under resilience.&lt;kind&gt;.instances (a typo then
     * fails start-up). Turn off when the instances come from code (a ResilienceRegistryCustomizer).
     */
    private boolean requireDeclaredInstances = true;

    /** @return whether the method annotations are honoured at all */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the method annotations are honoured at all */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return whether an annotation's name must be configured under resilience.&lt;kind&gt;.instances (a typo then
     * fails start-up). Turn off when the instances come from code (a ResilienceRegistryCustomizer)
     */
    public boolean isRequireDeclaredInstances() {
        return requireDeclaredInstances;
    }

    /**
     * @param requireDeclaredInstances whether an annotation's name must be configured under
     * resilience.&lt;kind&gt;.instances (a typo then fails start-up). Turn off when the instances come from code (a
     *    ResilienceRegistryCustomizer)
     */
    public void setRequireDeclaredInstances(boolean requireDeclaredInstances) {
        this.requireDeclaredInstances = requireDeclaredInstances;
    }
}
