package dev.resilience.core;

import org.jspecify.annotations.Nullable;

/** A {@link Fallback} replaced a failure or a result. Immutable. */
public final class FallbackEvent {

    private final String fallbackName;
    private final @Nullable Throwable cause;

    FallbackEvent(String fallbackName, @Nullable Throwable cause) {
        this.fallbackName = fallbackName;
        this.cause = cause;
    }

    /** {@return the name of the fallback that replaced the failure or result} */
    public String fallbackName() {
        return fallbackName;
    }

    /** {@return the failure that was replaced, or null when a result was} */
    public @Nullable Throwable cause() {
        return cause;
    }

    @Override
    public String toString() {
        return "FallbackEvent{" + fallbackName + (cause == null ? " replaced a result" : " replaced " + cause) + "}";
    }
}
