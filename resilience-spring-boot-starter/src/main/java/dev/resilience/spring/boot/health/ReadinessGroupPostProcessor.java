package dev.resilience.spring.boot.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;

/**
 * Adds contributors to the {@code readiness} group that Actuator's availability probes create
 * ({@code management.endpoint.health.probes.enabled}, on by default on Kubernetes), so a failing dependency
 * takes the instance out of rotation. A readiness group the application configures itself
 * ({@code management.endpoint.health.group.readiness.include}) is left as it is. Liveness is never touched:
 * a dependency's outage must not get the instance restarted. Immutable.
 */
public final class ReadinessGroupPostProcessor implements HealthEndpointGroupsPostProcessor {
    static final String READINESS = "readiness";
    private final Set<String> contributors;

    /**
     * @param contributors the top-level contributor names to add
     */
    public ReadinessGroupPostProcessor(Set<String> contributors) {
        this.contributors = Set.copyOf(contributors);
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(READINESS);
        if (readiness == null) {
            return groups;
        }
        Map<String, HealthEndpointGroup> all = new LinkedHashMap<>();
        for (String name : groups.getNames()) {
            all.put(name, groups.get(name));
        }
        all.put(READINESS, new Widened(readiness, contributors));
        return HealthEndpointGroups.of(groups.getPrimary(), all);
    }

    /** The readiness group plus our contributors and their children. */
    private record Widened(HealthEndpointGroup group, Set<String> extra) implements HealthEndpointGroup {
        @Override
        public boolean isMember(String name) {
            if (group.isMember(name)) {
                return true;
            }
            int slash = name.indexOf('/');
            return extra.contains(slash < 0 ? name : name.substring(0, slash));
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
