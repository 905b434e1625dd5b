package dev.resilience.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Rethrowing and unwrapping without changing what the caller sees. */
final class Exceptions {

    private Exceptions() {
    }

    /** Throws {@code t} as is, checked or not. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** Rethrows a caught throwable from a method declared {@code throws Exception}. */
    static Exception rethrow(Throwable t) throws Exception {
        if (t instanceof Exception) {
            throw (Exception) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException("unexpected throwable", t);
    }

    /** The failure inside the wrappers a {@code CompletionStage} adds. */
    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
