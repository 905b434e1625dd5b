package dev.resilience.spring.boot.annotation;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The instance names configured for one policy kind, so that an annotation naming an instance nobody
 * configured (a typo, most likely) fails start-up instead of silently getting the defaults. Immutable.
 */
final class DeclaredInstances {
    private final String kind;
    private final Set<String> names;
    private final boolean required;

    DeclaredInstances(String kind, Set<String> names, boolean required) {
        this.kind = kind;
        this.names = new TreeSet<>(names);
        this.required = required;
    }

    /**
     * @throws IllegalArgumentException naming the missing property and the configured ones
     */
    String check(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is empty");
        }
        if (required && !names.contains(name)) {
            throw new IllegalArgumentException("no resilience." + kind + ".instances." + name + " is configured (configured: "
                    + (names.isEmpty() ? "none" : String.join(", ", names))
                    + "); declare it, or set resilience.annotations.require-declared-instances=false");
        }
        return name;
    }
}
