package dev.resilience.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The one argument check of every module's builders and factories, so the library reports a bad value
 * one way:
 * <ul>
 *   <li>a missing value ({@code null}) throws {@link NullPointerException} whose message is the
 *       parameter's name (as {@link Objects#requireNonNull(Object, String)} does);</li>
 *   <li>a value outside its range throws {@link IllegalArgumentException} whose message reads
 *       {@code "<name> must <rule>, was <value>"}, e.g. {@code "maxAttempts must be at least 1, was 0"}
 *       or {@code "timeout must not be negative, was PT-1S"}.</li>
 * </ul>
 *
 * <p>Internal: not part of the public API, may change without notice. Exported only to the sibling
 * modules. Stateless and thread-safe.
 */
public final class Arguments {

    private Arguments() {
    }

    /**
     * The exception for a value that breaks its rule, in the one message shape.
     *
     * @param name the parameter's name
     * @param rule what the value must be, completing "must ..." (e.g. "be at least 1")
     * @param value the rejected value, shown as is (never pass a secret)
     * @return the exception to throw
     */
    public static IllegalArgumentException invalid(String name, String rule, Object value) {
        return new IllegalArgumentException(name + " must " + rule + ", was " + value);
    }

    /** {@code value}, or a {@link NullPointerException} naming {@code name} when it is null. */
    public static <T> T notNull(String name, T value) {
        return Objects.requireNonNull(value, name);
    }

    public static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw invalid(name, "be positive", value);
        }
        return value;
    }

    public static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw invalid(name, "not be negative", value);
        }
        return value;
    }

    /** {@code value} when it is at least {@code min}. */
    public static Duration atLeast(String name, Duration value, Duration min) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0) {
            throw invalid(name, "be at least " + min, value);
        }
        return value;
    }

    /** {@code value} when between {@code min} and {@code max}, both included. */
    public static Duration between(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(name, "be between " + min + " and " + max, value);
        }
        return value;
    }

    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw invalid(name, "be at least " + min, value);
        }
        return value;
    }

    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw invalid(name, "be at least " + min, value);
        }
        return value;
    }

    public static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(name, "be between " + min + " and " + max, value);
        }
        return value;
    }

    public static long between(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(name, "be between " + min + " and " + max, value);
        }
        return value;
    }

    /** A percentage in (0, 100]. */
    public static float percentage(String name, float value) {
        if (!(value > 0f && value <= 100f)) {
            throw invalid(name, "be a percentage above 0 and at most 100", value);
        }
        return value;
    }

    /** A ratio in [0, 1]. */
    public static double ratio(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw invalid(name, "be between 0 and 1", value);
        }
        return value;
    }

    /** A policy's or component's name: not null, not blank. */
    public static String name(String name) {
        return notBlank("name", name);
    }

    /** {@code value} when it holds a non-blank character; the value is quoted in the message. */
    public static String notBlank(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw invalid(name, "not be blank", "'" + value + "'");
        }
        return value;
    }

    /** {@code value} when it is not empty; the value is quoted in the message. */
    public static String notEmpty(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw invalid(name, "not be empty", "''");
        }
        return value;
    }
}
