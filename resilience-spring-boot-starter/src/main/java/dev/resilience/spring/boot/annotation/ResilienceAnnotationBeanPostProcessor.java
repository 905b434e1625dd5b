package dev.resilience.spring.boot.annotation;

import dev.resilience.core.Policy;
import dev.resilience.core.Resilience;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the methods of every bean annotated with an annotation some {@link AnnotationPolicy} bean handles,
 * resolves their policies and fallback methods at start-up (failing the bean, so the context, with a
 * message naming bean, method and property), and proxies the bean with Spring AOP's {@code ProxyFactory}
 * (no AspectJ weaver). On a bean that is already a proxy (a {@code @Transactional} one, say) the advice is
 * added in front of the others, so each retry attempt runs a new transaction.
 *
 * <p>On one method the policies compose with {@code Resilience.of(...)} in the handlers' order, and at most
 * one fallback method applies, outermost: several annotations of a method may name a fallback only if they
 * name the same one. Thread-safe once the context has started.
 */
public class ResilienceAnnotationBeanPostProcessor extends AbstractAdvisingBeanPostProcessor {
    private static final long serialVersionUID = 1L;

    private final transient ObjectProvider<AnnotationPolicy<?>> handlerProvider;
    private final transient Map<Method, AnnotatedMethod> methods = new ConcurrentHashMap<>();
    private transient volatile @Nullable List<AnnotationPolicy<?>> handlers;
    private transient boolean resolvingHandlers;

    /**
     * @param handlers the handlers, looked up on the first bean (so that creating them does not start when
     *                 this post-processor is registered)
     */
    public ResilienceAnnotationBeanPostProcessor(ObjectProvider<AnnotationPolicy<?>> handlers) {
        this.handlerProvider = handlers;
        MethodInterceptor interceptor = invocation -> {
            Object target = invocation.getThis();
            Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
            AnnotatedMethod annotated = methods.get(AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass));
            return annotated == null ? invocation.proceed() : annotated.invoke(invocation);
        };
        StaticMethodMatcherPointcut pointcut = new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return methods.containsKey(AopUtils.getMostSpecificMethod(method, targetClass));
            }
        };
        this.advisor = new DefaultPointcutAdvisor(pointcut, interceptor);
        setBeforeExistingAdvisors(true);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        List<AnnotationPolicy<?>> all = handlers();
        if (all == null || all.isEmpty()) {
            return bean;
        }
        Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        List<Class<? extends Annotation>> types = all.stream().<Class<? extends Annotation>>map(AnnotationPolicy::annotationType).toList();
        if (types.stream().noneMatch(t -> AnnotationUtils.isCandidateClass(type, t))) {
            return bean;
        }
        boolean found = false;
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
            AnnotatedMethod annotated = resolve(all, type, method, beanName);
            if (annotated != null) {
                methods.put(method, annotated);
                found = true;
            }
        }
        return found ? super.postProcessAfterInitialization(bean, beanName) : bean;
    }

    /** The handlers, or null while they are being created (the beans they need pass through here too). */
    private @Nullable List<AnnotationPolicy<?>> handlers() {
        List<AnnotationPolicy<?>> resolved = handlers;
        if (resolved != null || resolvingHandlers) {
            return resolved;
        }
        resolvingHandlers = true;
        try {
            resolved = handlerProvider.orderedStream().toList();
            Map<Class<?>, List<String>> byType = resolved.stream().collect(Collectors.groupingBy(
                    AnnotationPolicy::annotationType, Collectors.mapping(h -> h.getClass().getName(), Collectors.toList())));
            byType.forEach((annotationType, classes) -> {
                if (classes.size() > 1) {
                    throw new IllegalStateException("several AnnotationPolicy beans handle @" + annotationType.getSimpleName()
                            + ": " + classes);
                }
            });
            handlers = resolved;
            return resolved;
        } finally {
            resolvingHandlers = false;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static @Nullable AnnotatedMethod resolve(List<AnnotationPolicy<?>> handlers, Class<?> type, Method method,
            String beanName) {
        Map<AnnotationPolicy, Annotation> present = new LinkedHashMap<>();
        for (AnnotationPolicy<?> handler : handlers) {
            Annotation annotation = AnnotatedElementUtils.findMergedAnnotation(method, handler.annotationType());
            if (annotation != null) {
                present.put(handler, annotation);
            }
        }
        if (present.isEmpty()) {
            return null;
        }
        Class<?> returnType = method.getReturnType();
        if (CompletionStage.class.isAssignableFrom(returnType)
                && returnType != CompletionStage.class && returnType != CompletableFuture.class) {
            throw failure(beanName, type, method, "@" + present.values().iterator().next().annotationType().getSimpleName(),
                    "an asynchronous method must return CompletionStage or CompletableFuture, not " + returnType.getName());
        }
        List<Policy> policies = new ArrayList<>();
        String fallbackName = "";
        String fallbackSource = "";
        List<Map.Entry<AnnotationPolicy, Annotation>> ordered = new ArrayList<>(present.entrySet());
        ordered.sort(Comparator.comparingInt(e -> e.getKey().order()));
        for (Map.Entry<AnnotationPolicy, Annotation> entry : ordered) {
            AnnotationPolicy handler = entry.getKey();
            Annotation annotation = entry.getValue();
            String source = describe(annotation);
            try {
                policies.add(handler.policy(annotation));
            } catch (RuntimeException e) {
                throw failure(beanName, type, method, source, reason(e));
            }
            String fallback = handler.fallbackMethod(annotation);
            if (fallback != null && !fallback.isEmpty()) {
                if (!fallbackName.isEmpty() && !fallbackName.equals(fallback)) {
                    throw failure(beanName, type, method, source + " and " + fallbackSource,
                            "name different fallback methods (" + fallback + ", " + fallbackName
                                    + "); one method has one fallback, applied outermost");
                }
                fallbackName = fallback;
                fallbackSource = source;
            }
        }
        FallbackMethod fallback = null;
        if (!fallbackName.isEmpty()) {
            try {
                fallback = FallbackMethod.resolve(type, method, fallbackName);
            } catch (IllegalArgumentException e) {
                throw failure(beanName, type, method, fallbackSource + " fallbackMethod", reason(e));
            }
        }
        Policy policy = policies.size() == 1 ? policies.get(0) : Resilience.of(policies);
        return new AnnotatedMethod(policy, fallback, returnType);
    }

    private static String describe(Annotation annotation) {
        Map<String, Object> attributes = AnnotationUtils.getAnnotationAttributes(annotation);
        return "@" + annotation.annotationType().getSimpleName() + "(" + attributes.entrySet().stream()
                .filter(e -> !"".equals(e.getValue()))
                .map(e -> e.getKey() + " = \"" + e.getValue() + "\"")
                .collect(Collectors.joining(", ")) + ")";
    }

    private static BeanCreationException failure(String beanName, Class<?> type, Method method, String property, String reason) {
        String signature = type.getName() + "." + method.getName() + "("
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
        return new BeanCreationException(beanName, "bean '" + beanName + "', method " + signature + ", " + property + ": " + reason);
    }

    /** The exception's message, or its type when it has none (a bare exception would otherwise read "null"). */
    private static String reason(RuntimeException e) {
        String message = e.getMessage();
        return message != null ? message : e.getClass().getName();
    }
}
