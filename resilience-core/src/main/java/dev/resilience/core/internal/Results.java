package dev.resilience.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * The caller's own work results, passed through the policies unchanged.
 *
 * <p>A policy runs {@code Callable<T>} work and hands back what it returned. That value is null when the
 * caller's {@code T} admits null (a {@code Callable<Void>}, a lookup that finds nothing): the policies
 * neither add nor remove a null, so the result carries the nullness of the caller's {@code T}. NullAway
 * (outside its JSpecify generics mode) reads every {@code T} as non-null, so the local variable that
 * holds a result before it is returned (null until the work ran, or because the work returned null) is
 * handed back through {@link #passThrough}: the one place that tells the checker so.
 *
 * <p>Internal: not part of the public API, may change without notice. Stateless and thread-safe.
 */
public final class Results {

    private Results() {
    }

    /**
     * Returns {@code result} unchanged, typed as the caller's {@code T}.
     *
     * @param result what the caller's work returned, null when the work returned null
     * @param <T> the caller's result type, whose nullness the result has
     * @return {@code result}
     */
    // the work's own null result goes back to the caller of a Callable<T> whose T admits it; NullAway
    // without JSpecify generics cannot express "nullable exactly when T is", hence the suppression here
    @SuppressWarnings("NullAway")
    public static <T> T passThrough(@Nullable T result) {
        return result;
    }
}
