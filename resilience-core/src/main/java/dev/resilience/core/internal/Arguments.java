package dev.resilience.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Builder argument checks whose messages name the parameter and the rejected value, shared by every
 * module's builders so the library reports bad values one way.
 *
 * <p>Internal: not part of the public API, may change without notice. Stateless and thread-safe.
 */
public final class Arguments {

    private Arguments() {
    }

    public static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    public static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    public static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** A percentage in (0, 100]. */
    public static float percentage(String name, float value) {
        if (!(value > 0f && value <= 100f)) {
            throw new IllegalArgumentException(name + " must be a percentage above 0 and at most 100, was " + value);
        }
        return value;
    }

    public static String name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        }
        return name;
    }

    /** A ratio in [0, 1]. */
    public static double ratio(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
        }
        return value;
    }
}
