package dev.resilience.spring.boot.annotation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The fallback method an annotation names, resolved once at start-up: a method of the bean's class (any
 * visibility) with the annotated method's parameters plus one last parameter of an exception type, returning
 * what the annotated method returns (for an asynchronous method, a {@code CompletionStage}). Overloads for
 * several exception types may exist: a failure goes to the one with the closest type, and a failure none
 * of them takes reaches the caller unchanged. Only {@code Exception}s are handed to a fallback, never
 * {@code Error}s. Immutable and thread-safe; shared by every annotation that names a fallback method.
 */
public final class FallbackMethod {
    private final List<Method> candidates;   // most specific exception type first

    private FallbackMethod(List<Method> candidates) {
        this.candidates = candidates;
    }

    /**
     * Finds fallback method {@code name} for {@code method} in {@code type}.
     *
     * @param type   the bean's class
     * @param method the annotated method
     * @param name   the fallback method's name
     * @return the fallback
     * @throws IllegalArgumentException saying which signature was expected and which methods of that name exist
     */
    public static FallbackMethod resolve(Class<?> type, Method method, String name) {
        boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
        Class<?>[] params = method.getParameterTypes();
        List<Method> named = new ArrayList<>();
        ReflectionUtils.doWithMethods(type, named::add, m -> m.getName().equals(name) && !m.isBridge());
        List<Method> fitting = new ArrayList<>();
        for (Method candidate : named) {
            Class<?>[] p = candidate.getParameterTypes();
            if (p.length != params.length + 1 || !Arrays.equals(Arrays.copyOf(p, params.length), params)) {
                continue;
            }
            Class<?> last = p[params.length];
            boolean takesFailure = last == Throwable.class || Exception.class.isAssignableFrom(last);
            if (takesFailure && returnFits(method.getReturnType(), candidate.getReturnType(), async)) {
                fitting.add(candidate);
            }
        }
        if (fitting.isEmpty()) {
            String expected = name + "(" + Arrays.stream(params).map(Class::getSimpleName)
                    .map(s -> s + ", ").collect(Collectors.joining()) + "<an Exception type> e) returning "
                    + (async ? "a CompletionStage" : method.getReturnType().getSimpleName());
            String found = named.isEmpty() ? "there is no method called " + name
                    : "found only " + named.stream().map(FallbackMethod::signature).collect(Collectors.joining(", "));
            throw new IllegalArgumentException("fallback method " + expected + " not found in " + type.getName() + ": " + found);
        }
        fitting.sort(Comparator.comparingInt(m -> -depth(m.getParameterTypes()[params.length])));
        fitting.forEach(ReflectionUtils::makeAccessible);
        return new FallbackMethod(List.copyOf(fitting));
    }

    private static boolean returnFits(Class<?> returned, Class<?> fallbackReturns, boolean async) {
        if (async) {
            return CompletionStage.class.isAssignableFrom(fallbackReturns)
                    && (returned == CompletionStage.class || returned == CompletableFuture.class);
        }
        if (returned == void.class) {
            return fallbackReturns == void.class;
        }
        return fallbackReturns != void.class && ClassUtils.isAssignable(returned, fallbackReturns);
    }

    private static int depth(Class<?> type) {
        int depth = 0;
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    private static String signature(Method m) {
        return m.getReturnType().getSimpleName() + " " + m.getName() + "("
                + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Whether some overload takes {@code failure}.
     *
     * @param failure what the call failed with
     * @return true if {@link #invoke} would call a fallback
     */
    public boolean handles(Throwable failure) {
        return failure instanceof Exception && find(failure) != null;
    }

    /**
     * Calls the overload with the closest exception type, or throws {@code failure} if none takes it.
     *
     * @param target  the bean (not its proxy)
     * @param args    the annotated method's arguments
     * @param failure what the call failed with
     * @return what the fallback returns
     * @throws Throwable what the fallback throws, or {@code failure} when no overload takes it
     */
    public Object invoke(Object target, Object[] args, Throwable failure) throws Throwable {
        Method method = failure instanceof Exception ? find(failure) : null;
        if (method == null) {
            throw failure;
        }
        Object[] withFailure = Arrays.copyOf(args, args.length + 1);
        withFailure[args.length] = failure;
        try {
            return method.invoke(target, withFailure);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private @Nullable Method find(Throwable failure) {
        for (Method candidate : candidates) {
            Class<?>[] p = candidate.getParameterTypes();
            if (p[p.length - 1].isInstance(failure)) {
                return candidate;
            }
        }
        return null;
    }
}
