package dev.resilience.spring.boot.annotation;

import dev.resilience.core.Policy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * What runs around one annotated method: its composed policy and its fallback, resolved at start-up.
 * Immutable and thread-safe.
 */
final class AnnotatedMethod {
    private final Policy policy;
    private final @Nullable FallbackMethod fallback;
    private final boolean async;
    private final boolean completableFuture;

    AnnotatedMethod(Policy policy, @Nullable FallbackMethod fallback, Class<?> returnType) {
        this.policy = policy;
        this.fallback = fallback;
        this.async = CompletionStage.class.isAssignableFrom(returnType);
        this.completableFuture = returnType == CompletableFuture.class;
    }

    @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        return async ? invokeAsync(invocation) : invokeBlocking(invocation);
    }

    private @Nullable Object invokeBlocking(MethodInvocation invocation) throws Throwable {
        try {
            return policy.call(() -> proceed(invocation));
        } catch (Exception e) {
            if (fallback == null) {
                throw e;
            }
            return fallback.invoke(invocation.getThis(), invocation.getArguments(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private Object invokeAsync(MethodInvocation invocation) {
        CompletionStage<Object> stage = policy.callAsync(() -> {
            try {
                CompletionStage<Object> result = (CompletionStage<Object>) proceed(invocation);
                return result == null ? CompletableFuture.completedFuture(null) : result;
            } catch (Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
        });
        FallbackMethod fb = fallback;
        if (fb != null) {
            stage = stage.exceptionallyCompose(failure -> {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (!fb.handles(cause)) {
                    return CompletableFuture.failedFuture(cause);
                }
                try {
                    return (CompletionStage<Object>) fb.invoke(invocation.getThis(), invocation.getArguments(), cause);
                } catch (Throwable t) {
                    return CompletableFuture.failedFuture(t);
                }
            });
        }
        return completableFuture ? stage.toCompletableFuture() : stage;
    }

    /**
     * One attempt: a fresh copy of the invocation, so that interceptors inside this one (a transaction,
     * say) run again on every attempt instead of only on the first.
     */
    private static Object proceed(MethodInvocation invocation) throws Exception {
        try {
            MethodInvocation attempt = invocation instanceof ProxyMethodInvocation
                    ? ((ProxyMethodInvocation) invocation).invocableClone() : invocation;
            return attempt.proceed();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }
}
