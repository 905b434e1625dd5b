package dev.resilience.spring.boot.ratelimit;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code resilience.ratelimit.filter.routes} holds at least one route. */
final class OnRoutesCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        boolean any = Binder.get(context.getEnvironment())
                .bind("resilience.ratelimit.filter.routes", Bindable.listOf(RateLimitProperties.Route.class))
                .map(List::size).orElse(0) > 0;
        return any ? ConditionOutcome.match("resilience.ratelimit.filter.routes is set")
                : ConditionOutcome.noMatch("resilience.ratelimit.filter.routes is empty");
    }
}
