package dev.resilience.spring.boot.cache;

import dev.resilience.spring.boot.internal.SpringDataRedis;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when Redis is configured the Spring Boot way: {@code spring.data.redis.url} or {@code spring.data.redis.host}. */
final class OnCacheRedisCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return SpringDataRedis.isConfigured(context.getEnvironment()) ? ConditionOutcome.match("spring.data.redis.url or .host is set")
                : ConditionOutcome.noMatch("neither spring.data.redis.url nor spring.data.redis.host is set");
    }
}
