package dev.resilience.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL 15 and Redis 7 in Docker containers, started with Testcontainers on first use and shared by
 * every test of the JVM (Testcontainers removes them when the JVM exits). Loaded only when Testcontainers
 * is on the classpath.
 */
final class TestcontainersServers implements Containers {

    private static final int POSTGRES_PORT = 5432;
    private static final int REDIS_PORT = 6379;
    /** A failed start is not kept, so the next test tries again. */
    private static final Map<String, GenericContainer<?>> STARTED = new ConcurrentHashMap<>();

    @Override
    public @Nullable String unavailableReason() {
        return Docker.AVAILABLE ? null : "Testcontainers finds no running Docker";
    }

    @Override
    public String postgresUrl(String database) {
        GenericContainer<?> postgres = STARTED.computeIfAbsent("postgres", name -> start(
                new GenericContainer<>(DockerImageName.parse("postgres:15-alpine"))
                        .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                        // the databases a local test server has besides postgres
                        .withCopyToContainer(Transferable.of("CREATE DATABASE test;\nCREATE DATABASE root;\n"),
                                "/docker-entrypoint-initdb.d/databases.sql")
                        .withExposedPorts(POSTGRES_PORT)
                        // the image starts the server twice: once to initialise it, then for good
                        .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2))));
        return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(POSTGRES_PORT) + "/" + database
                + "?user=postgres";
    }

    @Override
    public String redisUri() {
        GenericContainer<?> redis = STARTED.computeIfAbsent("redis", name -> start(
                new GenericContainer<>(DockerImageName.parse("redis:7-alpine")).withExposedPorts(REDIS_PORT)));
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(REDIS_PORT);
    }

    private static GenericContainer<?> start(GenericContainer<?> container) {
        container.start();
        return container;
    }

    /** Asked once per JVM: the answer does not change while tests run, and finding out can take seconds. */
    private static final class Docker {
        static final boolean AVAILABLE = DockerClientFactory.instance().isDockerAvailable();
    }
}
