package dev.resilience.health.internal;

import java.time.Duration;
import java.util.Objects;

/** Builder argument checks whose messages name the parameter and the rejected value. */
public final class Arguments {

    private Arguments() {
    }

    /** @throws IllegalArgumentException if {@code value} is zero or negative */
    public static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException if {@code value} is negative */
    public static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException if {@code value} is not in [0, 1] */
    public static double ratio(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1: " + value);
        }
        return value;
    }
}
