package dev.resilience.core;

import java.util.List;
import java.util.Objects;
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

    /** True when {@code failure} is an instance of one of {@code types}. */
    static boolean isInstanceOfAny(List<Class<? extends Throwable>> types, Throwable failure) {
        for (Class<? extends Throwable> type : types) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    /** Adds builder-given exception types to {@code target}, rejecting nulls by the parameter's name. */
    @SafeVarargs
    static void addTypes(List<Class<? extends Throwable>> target, String parameter, Class<? extends Throwable>... types) {
        for (Class<? extends Throwable> type : types) {
            target.add(Objects.requireNonNull(type, parameter));
        }
    }
}
