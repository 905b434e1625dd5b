package dev.resilience.spring.boot.ratelimit;

import dev.resilience.spring.boot.internal.SpringDataRedis;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when Redis is configured the Spring Boot way ({@code spring.data.redis.url} or
 * {@code spring.data.redis.host}, in any relaxed form) and {@code resilience.ratelimit.redis.enabled} is not false.
 */
final class OnSpringDataRedisCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        if (!binder.bind("resilience.ratelimit.redis.enabled", Boolean.class).orElse(true)) {
            return ConditionOutcome.noMatch("resilience.ratelimit.redis.enabled is false");
        }
        return SpringDataRedis.isConfigured(context.getEnvironment()) ? ConditionOutcome.match("spring.data.redis.url or .host is set")
                : ConditionOutcome.noMatch("neither spring.data.redis.url nor spring.data.redis.host is set");
    }
}
