package dev.resilience.core.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Unwrapping and rethrowing failures without changing what the caller sees, shared by core's policies
 * and the sibling modules (the cache, the Redis plumbing).
 *
 * <p>Internal: not part of the public API, may change without notice. Stateless and thread-safe.
 */
public final class Throwables {

    private Throwables() {
    }

    /**
     * The failure inside the wrappers a {@code CompletionStage} or a {@code Future} adds.
     *
     * @param failure what a stage completed with or {@code Future.get()} threw
     * @return the innermost cause below any {@link CompletionException} and {@link ExecutionException}
     *         (a wrapper without a cause is returned itself)
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Throws {@code failure} as it is, checked or not, from a method that does not declare it. Write
     * {@code throw Throwables.sneakyThrow(e)} so the compiler sees the statement end.
     *
     * @param failure the failure to throw
     * @param <E> inferred as an unchecked type at the call site
     * @return never returns
     * @throws E always: {@code failure} itself
     */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException sneakyThrow(Throwable failure) throws E {
        throw (E) failure;
    }
}
