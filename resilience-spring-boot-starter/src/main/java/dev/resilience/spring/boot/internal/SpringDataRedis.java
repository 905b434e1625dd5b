package dev.resilience.spring.boot.internal;

import java.util.function.Consumer;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Redis configured the Spring Boot way, {@code spring.data.redis.*}, for the rate limiter's and the cache's
 * connection builders: one reading of those keys for both.
 */
public final class SpringDataRedis {

    private SpringDataRedis() {
    }

    /** Takes Redis given by its parts, as the connection builders' {@code server(...)} does. */
    @FunctionalInterface
    public interface Server {
        /**
         * Redis given by its parts.
         *
         * @param host the host
         * @param port the port
         * @param username the user name, empty for the default user
         * @param password the password, empty for none
         * @param ssl whether to use TLS
         * @param database the database number
         */
        void server(String host, int port, String username, char[] password, boolean ssl, int database);
    }

    /**
     * Hands {@code spring.data.redis.url} to {@code uri} when it is set, else {@code host} (default localhost),
     * {@code port} (6379), {@code username}, {@code password}, {@code ssl.enabled} and {@code database} (0) to
     * {@code server}, so a password given on its own is never written into a URI.
     *
     * @param environment where the keys are read, in any relaxed form
     * @param uri takes the URL
     * @param server takes the parts
     */
    public static void configure(Environment environment, Consumer<String> uri, Server server) {
        Binder binder = Binder.get(environment);
        String url = binder.bind("spring.data.redis.url", String.class).orElse(null);
        if (url != null && !url.isBlank()) {
            uri.accept(url);
            return;
        }
        server.server(binder.bind("spring.data.redis.host", String.class).orElse("localhost"),
                binder.bind("spring.data.redis.port", Integer.class).orElse(6379),
                binder.bind("spring.data.redis.username", String.class).orElse(""),
                binder.bind("spring.data.redis.password", String.class).orElse("").toCharArray(),
                binder.bind("spring.data.redis.ssl.enabled", Boolean.class).orElse(false),
                binder.bind("spring.data.redis.database", Integer.class).orElse(0));
    }

    /**
     * Whether Redis is configured the Spring Boot way: {@code spring.data.redis.url} or {@code host} is set.
     *
     * @param environment where the keys are read, in any relaxed form
     * @return true when either key is bound
     */
    public static boolean isConfigured(Environment environment) {
        Binder binder = Binder.get(environment);
        return binder.bind("spring.data.redis.url", String.class).isBound()
                || binder.bind("spring.data.redis.host", String.class).isBound();
    }
}
