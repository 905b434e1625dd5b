package dev.resilience.ratelimit;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the limiters and their builders; each message names the parameter and value. */
final class Checks {

    private Checks() {
    }

    static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank: " + name);
        }
        return name;
    }

    static void key(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be null or empty: " + (key == null ? "null" : "\"\""));
        }
    }

    static void permits(int permits, long max, String limiter) {
        if (permits < 0 || permits > max) {
            throw new IllegalArgumentException("permits must be between 0 and " + max
                    + " (the smallest capacity of " + limiter + "'s policy): " + permits);
        }
    }

    /** {@code value}, when between {@code min} and {@code max} (both included); the message shows them as written. */
    static Duration duration(String parameter, Duration value, Duration min, String minText, Duration max, String maxText) {
        Objects.requireNonNull(value, parameter);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(parameter + " must be between " + minText + " and " + maxText + ": " + value);
        }
        return value;
    }

    static int notNegative(String parameter, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(parameter + " must not be negative: " + value);
        }
        return value;
    }

    static long positive(String parameter, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(parameter + " must be positive: " + value);
        }
        return value;
    }
}
