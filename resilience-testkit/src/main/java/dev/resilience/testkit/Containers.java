package dev.resilience.testkit;

import org.jspecify.annotations.Nullable;

/**
 * Starts PostgreSQL and Redis in containers for {@link TestServices} when neither the environment nor a
 * local server provides them. An interface so that TestServices never touches Testcontainers classes
 * (an optional dependency) itself and its tests can stand in for Docker.
 */
interface Containers {

    /** Why no container can be started here, or null when one can. */
    @Nullable String unavailableReason();

    /** The JDBC URL of {@code database} (user {@code postgres}) on a container started once per JVM. */
    String postgresUrl(String database);

    /** The URI of a Redis container started once per JVM. */
    String redisUri();

    /** No containers, for {@code reason}. */
    static Containers unavailable(String reason) {
        return new Containers() {
            @Override
            public @Nullable String unavailableReason() {
                return reason;
            }

            @Override
            public String postgresUrl(String database) {
                throw new IllegalStateException(reason);
            }

            @Override
            public String redisUri() {
                throw new IllegalStateException(reason);
            }
        };
    }
}
