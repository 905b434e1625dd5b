package dev.resilience.spring.boot.ratelimit;

import dev.resilience.ratelimit.ClientIpResolver;
import dev.resilience.ratelimit.KeyResolver;
import dev.resilience.ratelimit.ProxyHeader;
import dev.resilience.ratelimit.RateLimitRules;
import java.util.List;
import java.util.Locale;

/** Builds the filter's {@link RateLimitRules} from {@code resilience.ratelimit.filter.*}. */
final class RateLimitRulesFactory {

    private RateLimitRulesFactory() {
    }

    static RateLimitRules rules(RateLimitProperties.Filter filter, RateLimiters limiters) {
        ClientIpResolver clientIp = clientIp(filter.getClientIp());
        RateLimitRules.Builder rules = RateLimitRules.builder()
                .keyResolver(clientIp)
                .clientIp(clientIp)
                .legacyHeaders(filter.isLegacyHeaders());
        filter.getExclude().forEach(rules::exclude);
        if (!filter.getAllowAddresses().isEmpty()) {
            rules.allowAddresses(filter.getAllowAddresses().toArray(String[]::new));
        }
        if (!filter.getDenyAddresses().isEmpty()) {
            rules.denyAddresses(filter.getDenyAddresses().toArray(String[]::new));
        }
        List<RateLimitProperties.Route> routes = filter.getRoutes();
        for (int i = 0; i < routes.size(); i++) {
            RateLimitProperties.Route route = routes.get(i);
            String property = "resilience.ratelimit.filter.routes[" + i + "]";
            if (route.getPath() == null || route.getPath().isBlank()) {
                throw new IllegalArgumentException(property + ".path is missing");
            }
            if (route.getLimiter() == null || !limiters.contains(route.getLimiter())) {
                throw new IllegalArgumentException(property + ".limiter names no configured limiter: '" + route.getLimiter()
                        + "' (configured in resilience.ratelimit.limiters: " + limiters.names() + ")");
            }
            rules.route(route.getPath(), limiters.get(route.getLimiter()), key(route.getKey(), filter, clientIp),
                    route.getSkip() == null ? RateLimitRules.Skip.NONE : route.getSkip());
        }
        return rules.build();
    }

    private static KeyResolver key(RateLimitProperties.KeyKind kind, RateLimitProperties.Filter filter, ClientIpResolver clientIp) {
        return switch (kind) {
            case CLIENT_IP -> clientIp;
            case USER -> KeyResolver.user().orElse(clientIp);
            case API_KEY -> KeyResolver.apiKey(filter.getApiKeyHeader()).orElse(clientIp);
            case ROUTE -> KeyResolver.route();
        };
    }

    static ClientIpResolver clientIp(RateLimitProperties.ClientIp properties) {
        ClientIpResolver.Builder builder = ClientIpResolver.builder();
        if (!properties.getTrustedProxies().isEmpty()) {
            builder.trustedProxies(properties.getTrustedProxies().toArray(String[]::new));
        }
        if (properties.getProxyHeader() != null && !properties.getProxyHeader().isBlank()) {
            builder.proxyHeader(proxyHeader(properties.getProxyHeader().trim()));
        }
        if (properties.getIpv6Prefix() != null) {
            builder.ipv6Prefix(properties.getIpv6Prefix());
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("resilience.ratelimit.filter.client-ip: " + e.getMessage(), e);
        }
    }

    private static ProxyHeader proxyHeader(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "x-forwarded-for" -> ProxyHeader.xForwardedFor();
            case "forwarded" -> ProxyHeader.forwarded();
            default -> ProxyHeader.singleValue(name);
        };
    }
}
