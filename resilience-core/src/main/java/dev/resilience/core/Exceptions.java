package dev.resilience.core;

import java.util.List;
import java.util.Objects;

/** Rethrowing and matching failures without changing what the caller sees (unwrapping: {@code core.internal.Throwables}). */
final class Exceptions {

    private Exceptions() {
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
