package dev.resilience.spring.boot.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CallNotPermittedException;
import dev.resilience.core.Policy;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.boot.ResilienceCoreAutoConfiguration;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ResilienceAnnotationsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceCoreAutoConfiguration.class,
                    ResilienceAnnotationsAutoConfiguration.class))
            .withPropertyValues(
                    "resilience.retry.configs.default.backoff=none",
                    "resilience.retry.instances.upstream.max-attempts=3",
                    "resilience.retry.instances.many.max-attempts=5",
                    "resilience.circuitbreaker.instances.upstream.minimum-number-of-calls=2",
                    "resilience.circuitbreaker.instances.upstream.count-based-window=2",
                    "resilience.timeout.instances.upstream.duration=5s",
                    "resilience.bulkhead.instances.upstream.max-concurrent-calls=4");

    /** Fails its first {@code failures} calls with an IOException, then answers "ok". */
    public static class Upstream {
        // through methods: a test holds the proxy, whose fields are not the bean's
        private final AtomicInteger calls = new AtomicInteger();
        private volatile int failures;

        public void failFirst(int n) {
            failures = n;
        }

        public int calls() {
            return calls.get();
        }

        @Retry(name = "upstream")
        public String retried() throws IOException {
            return answer();
        }

        @Retry(name = "upstream", fallbackMethod = "cached")
        public String retriedWithFallback(String key) throws IOException {
            return answer() + key;
        }

        String cached(String key, IOException e) {
            return "cached " + key + " after " + e.getMessage();
        }

        String cached(String key, Exception e) {
            return "any " + key;
        }

        // written inner-first on purpose: the order is the documented one whatever the order here
        @Bulkhead(name = "upstream")
        @Timeout(name = "upstream")
        @CircuitBreaker(name = "upstream")
        @Retry(name = "many")
        public String everything() throws IOException {
            return answer();
        }

        @Retry(name = "upstream", fallbackMethod = "laterFallback")
        @CircuitBreaker(name = "upstream", fallbackMethod = "laterFallback")
        public CompletableFuture<String> later(String key) {
            calls.incrementAndGet();
            return calls.get() <= failures
                    ? CompletableFuture.failedFuture(new IOException("down " + calls.get()))
                    : CompletableFuture.completedFuture("ok " + key);
        }

        CompletionStage<String> laterFallback(String key, Exception e) {
            return CompletableFuture.completedFuture("fallback " + key + " " + e.getClass().getSimpleName());
        }

        @Retry(name = "upstream")
        public CompletionStage<String> throwsBeforeReturningAStage() {
            calls.incrementAndGet();
            if (calls.get() <= failures) {
                throw new IllegalStateException("sync failure " + calls.get());
            }
            return CompletableFuture.completedFuture("ok");
        }

        public String plain() {
            return "plain";
        }

        private String answer() throws IOException {
            int call = calls.incrementAndGet();
            if (call <= failures) {
                throw new IOException("down " + call);
            }
            return "ok";
        }
    }

    @Test
    void retryRetriesASynchronousMethod() {
        runner.withBean(Upstream.class).run(context -> {
            Upstream upstream = context.getBean(Upstream.class);
            upstream.failFirst(2);
            assertThat(upstream.retried()).isEqualTo("ok");
            assertThat(upstream.calls()).isEqualTo(3);
        });
    }

    @Test
    void fallbackGetsTheArgumentsAndTheLastFailureChoosingTheClosestExceptionType() {
        runner.withBean(Upstream.class).run(context -> {
            Upstream upstream = context.getBean(Upstream.class);
            upstream.failFirst(10);
            assertThat(upstream.retriedWithFallback("k")).isEqualTo("cached k after down 3");
            assertThat(upstream.calls()).isEqualTo(3);
        });
    }

    @Test
    void retryIsOutsideTheBreakerWhateverTheOrderTheAnnotationsAreWrittenIn() {
        runner.withBean(Upstream.class).run(context -> {
            Upstream upstream = context.getBean(Upstream.class);
            upstream.failFirst(100);
            // the breaker (window 2) opens after two attempts; the retry (5 attempts) outside it stops at
            // its rejection instead of calling on: breaker-outside-retry would run all five
            assertThatThrownBy(upstream::everything).isInstanceOf(CallNotPermittedException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).isNotEmpty());
            assertThat(upstream.calls()).isEqualTo(2);
        });
    }

    @Test
    void asynchronousMethodIsRetriedOnItsFailedStage() {
        runner.withBean(Upstream.class).run(context -> {
            Upstream upstream = context.getBean(Upstream.class);
            upstream.failFirst(1);
            assertThat(upstream.later("a").get()).isEqualTo("ok a");
            assertThat(upstream.calls()).isEqualTo(2);
        });
    }

    @Test
    void asynchronousFallbackReceivesTheFailureOnceEverythingElseFailed() {
        runner.withBean(Upstream.class).run(context -> {
            Upstream upstream = context.getBean(Upstream.class);
            upstream.failFirst(100);
            assertThat(upstream.later("b").get()).isEqualTo("fallback b CallNotPermittedException");
        });
    }

    @Test
    void asynchronousMethodThatThrowsIsTreatedAsAFailedStage() throws Exception {
        runner.withBean(Upstream.class).run(context -> {
            Upstream upstream = context.getBean(Upstream.class);
            upstream.failFirst(5);
            assertThatThrownBy(() -> upstream.throwsBeforeReturningAStage().toCompletableFuture().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("sync failure 3");
        });
    }

    @Test
    void onlyBeansWithAnnotatedMethodsAreProxied() {
        runner.withBean(Upstream.class).withBean(String.class, () -> "no annotations").run(context -> {
            assertThat(AopUtils.isAopProxy(context.getBean(Upstream.class))).isTrue();
            assertThat(context.getBean(Upstream.class).plain()).isEqualTo("plain");
            assertThat(AopUtils.isAopProxy(context.getBean(ResilienceRegistry.class))).isFalse();
        });
    }

    public static class Misspelled {
        @CircuitBreaker(name = "upstreem")
        public String call() {
            return "x";
        }
    }

    @Test
    void unknownInstanceNameFailsStartUpNamingBeanMethodAndProperty() {
        runner.withBean("misspelled", Misspelled.class).run(context -> assertThat(context).hasFailed().getFailure()
                .hasStackTraceContaining("bean 'misspelled'")
                .hasStackTraceContaining(Misspelled.class.getName() + ".call()")
                .hasStackTraceContaining("resilience.circuitbreaker.instances.upstreem")
                .hasStackTraceContaining("configured: upstream"));
    }

    @Test
    void undeclaredNamesAreAcceptedWhenTheApplicationSaysSo() {
        runner.withBean(Misspelled.class).withPropertyValues("resilience.annotations.require-declared-instances=false")
                .run(context -> assertThat(context.getBean(Misspelled.class).call()).isEqualTo("x"));
    }

    public static class WrongFallback {
        @Retry(name = "upstream", fallbackMethod = "recover")
        public String call(String key) {
            return key;
        }

        int recover(String key, Exception e) {
            return 0;
        }
    }

    @Test
    void fallbackWithTheWrongSignatureFailsStartUpNamingBeanMethodAndProperty() {
        runner.withBean("wrongFallback", WrongFallback.class).run(context -> assertThat(context).hasFailed().getFailure()
                .hasStackTraceContaining("bean 'wrongFallback'")
                .hasStackTraceContaining(WrongFallback.class.getName() + ".call(String)")
                .hasStackTraceContaining("fallbackMethod")
                .hasStackTraceContaining("recover(String, <an Exception type> e) returning String")
                .hasStackTraceContaining("found only int recover(String, Exception)"));
    }

    public static class TwoFallbacks {
        @Retry(name = "upstream", fallbackMethod = "a")
        @CircuitBreaker(name = "upstream", fallbackMethod = "b")
        public String call() {
            return "x";
        }

        String a(Exception e) {
            return "a";
        }

        String b(Exception e) {
            return "b";
        }
    }

    @Test
    void twoDifferentFallbacksOnOneMethodFailStartUp() {
        runner.withBean(TwoFallbacks.class).run(context -> assertThat(context).hasFailed().getFailure()
                .hasStackTraceContaining("different fallback methods"));
    }

    public static class TimeoutWithoutDuration {
        @Timeout(name = "bare")
        public String call() {
            return "x";
        }
    }

    @Test
    void instanceThatCannotBeBuiltFailsStartUpWithCoresReason() {
        // not declared (allowed here), so only asking the registry for it finds the missing duration
        runner.withBean("bare", TimeoutWithoutDuration.class)
                .withPropertyValues("resilience.annotations.require-declared-instances=false")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("bean 'bare'").hasStackTraceContaining("@Timeout(name = \"bare\")")
                        .hasStackTraceContaining("duration"));
    }

    @Test
    void annotationsAreIgnoredWhenTurnedOff() {
        runner.withBean(Misspelled.class).withPropertyValues("resilience.annotations.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(ResilienceAnnotationBeanPostProcessor.class);
                    assertThat(AopUtils.isAopProxy(context.getBean(Misspelled.class))).isFalse();
                });
    }

    @Test
    void theApplicationsOwnHandlerReplacesTheStartersOne() {
        RetryAnnotationPolicy own = new RetryAnnotationPolicy(ResilienceRegistry::ofDefaults, () -> java.util.Set.of("mine"), true);
        runner.withBean(RetryAnnotationPolicy.class, () -> own).run(context ->
                assertThat(context.getBean(RetryAnnotationPolicy.class)).isSameAs(own));
    }

    /** A module's own annotation, plugged in with one AnnotationPolicy bean: records the order it runs in. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Traced {
        String fallbackMethod() default "";
    }

    static final List<String> TRACE = Collections.synchronizedList(new ArrayList<>());

    public static class TracedAnnotationPolicy implements AnnotationPolicy<Traced> {
        @Override
        public Class<Traced> annotationType() {
            return Traced.class;
        }

        @Override
        public int order() {
            return RATE_LIMITED;
        }

        @Override
        public String fallbackMethod(Traced annotation) {
            return annotation.fallbackMethod();
        }

        @Override
        public Policy policy(Traced annotation) {
            return new Policy() {
                @Override
                public <T> T call(Callable<T> work) throws Exception {
                    TRACE.add("traced");
                    return work.call();
                }

                @Override
                public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> work) {
                    TRACE.add("traced");
                    return work.get();
                }
            };
        }
    }

    public static class TracedBean {
        @Traced
        @Retry(name = "upstream")
        public String call() {
            TRACE.add("work");
            if (TRACE.size() < 4) {
                throw new IllegalStateException("once");
            }
            return "ok";
        }
    }

    @Test
    void anotherModulesAnnotationPlugsInWithOneBeanAndRunsAtItsOrder() {
        TRACE.clear();
        runner.withBean(TracedAnnotationPolicy.class).withBean(TracedBean.class).run(context -> {
            assertThat(context.getBean(TracedBean.class).call()).isEqualTo("ok");
            // inside the retry (order 100 < 300): each attempt goes through it
            assertThat(TRACE).containsExactly("traced", "work", "traced", "work");
        });
    }

    /** A handler whose policy() fails with an exception that has no message. */
    public static class BrokenTracedAnnotationPolicy extends TracedAnnotationPolicy {
        @Override
        public Policy policy(Traced annotation) {
            throw new IllegalStateException();
        }
    }

    public static class TracedOnly {
        @Traced
        public String call() {
            return "ok";
        }
    }

    @Test
    void aHandlerFailureWithoutAMessageIsNamedByItsTypeNotByNull() {
        runner.withBean(BrokenTracedAnnotationPolicy.class).withBean("tracedOnly", TracedOnly.class)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("bean 'tracedOnly', method ")
                        .hasStackTraceContaining(": java.lang.IllegalStateException"));
    }

    public static class ErrorThrowing {
        @Retry(name = "upstream", fallbackMethod = "recover")
        public String call() {
            throw new AssertionError("an Error");
        }

        String recover(Throwable t) {
            return "recovered";
        }
    }

    @Test
    void errorsNeverReachAFallback() {
        runner.withBean(ErrorThrowing.class).run(context ->
                assertThatThrownBy(() -> context.getBean(ErrorThrowing.class).call()).isInstanceOf(AssertionError.class));
    }

    /** A CompletionStage type of its own, which the starter cannot hand back. */
    public static class OwnStage<T> extends CompletableFuture<T> {
    }

    public static class OwnStageReturning {
        @Retry(name = "upstream")
        public OwnStage<String> call() {
            return new OwnStage<>();
        }
    }

    @Test
    void anotherCompletionStageTypeFailsStartUp() {
        runner.withBean("ownStage", OwnStageReturning.class).run(context -> assertThat(context).hasFailed().getFailure()
                .hasStackTraceContaining("bean 'ownStage'")
                .hasStackTraceContaining("must return CompletionStage or CompletableFuture"));
    }
}
