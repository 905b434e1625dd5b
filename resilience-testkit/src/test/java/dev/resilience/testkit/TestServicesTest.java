package dev.resilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** The order in which TestServices looks for servers, with the environment, the ports and Docker stood in for. */
class TestServicesTest {

    private static final BiPredicate<String, Integer> NOTHING_LISTENS = (host, port) -> false;
    private static final BiPredicate<String, Integer> EVERYTHING_LISTENS = (host, port) -> true;
    private static final Containers NO_DOCKER = Containers.unavailable("Testcontainers finds no running Docker");

    /** Containers that "start" at once, at fixed addresses. */
    private static final Containers DOCKER = new Containers() {
        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public String postgresUrl(String database) {
            return "jdbc:postgresql://docker:32768/" + database + "?user=postgres";
        }

        @Override
        public String redisUri() {
            return "redis://docker:32769";
        }
    };

    @Test
    void environmentComesFirst() {
        // Given both variables set, local servers listening and Docker running
        TestServices services = new TestServices(Map.of(
                TestServices.POSTGRES_URL_ENV, "jdbc:postgresql://db:6543/x?user=me",
                TestServices.REDIS_URI_ENV, "redis://cache:6380")::get, EVERYTHING_LISTENS, DOCKER);

        // When the servers are looked up / Then the environment's are used, with the asked database
        assertThat(services.findPostgresUrl("orders")).isEqualTo("jdbc:postgresql://db:6543/orders?user=me");
        assertThat(services.findRedisUri()).isEqualTo("redis://cache:6380");
    }

    @Test
    void localServersComeBeforeContainers() {
        // Given no variables, servers on the standard local ports and Docker running
        TestServices services = new TestServices(name -> null, EVERYTHING_LISTENS, DOCKER);

        // When the servers are looked up / Then the local ones are used
        assertThat(services.findPostgresUrl("orders")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/orders?user=postgres");
        assertThat(services.findRedisUri()).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void containersAreUsedWhenNothingElseProvidesAServer() {
        // Given no variables, nothing on the local ports, Docker running
        TestServices services = new TestServices(name -> null, NOTHING_LISTENS, DOCKER);

        // When the servers are looked up / Then the containers' are used
        assertThat(services.findPostgresUrl("orders")).isEqualTo("jdbc:postgresql://docker:32768/orders?user=postgres");
        assertThat(services.findRedisUri()).isEqualTo("redis://docker:32769");
    }

    @Test
    void missingPostgresNamesAllThreeWaysToProvideOne() {
        // Given no variable, nothing on port 5432 and no Docker
        TestServices services = new TestServices(name -> null, NOTHING_LISTENS, NO_DOCKER);

        // When PostgreSQL is looked up / Then the failure names the variable, the local server and Docker
        assertThatThrownBy(() -> services.findPostgresUrl("orders"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("set RESILIENCE_TEST_POSTGRES_URL")
                .hasMessageContaining("start a local server")
                .hasMessageContaining("127.0.0.1:5432")
                .hasMessageContaining("run Docker and add org.testcontainers:testcontainers")
                .hasMessageContaining("postgres:15-alpine")
                .hasMessageContaining("Testcontainers finds no running Docker");
    }

    @Test
    void missingRedisNamesAllThreeWaysToProvideOne() {
        // Given no variable, nothing on port 6379 and no Docker
        TestServices services = new TestServices(name -> null, NOTHING_LISTENS, NO_DOCKER);

        // When Redis is looked up / Then the failure names the variable, the local server and Docker
        assertThatThrownBy(services::findRedisUri)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("set RESILIENCE_TEST_REDIS_URI")
                .hasMessageContaining("start a local server")
                .hasMessageContaining("127.0.0.1:6379")
                .hasMessageContaining("run Docker and add org.testcontainers:testcontainers")
                .hasMessageContaining("redis:7-alpine");
    }

    @Test
    void withoutTestcontainersOnTheClasspathNoContainerIsStartedAndTheMessageSaysWhy() {
        // Given a class loader that cannot see Testcontainers (only the JDK's classes)
        Containers containers = TestServices.containers(new ClassLoader(null) { });
        TestServices services = new TestServices(name -> null, NOTHING_LISTENS, containers);

        // When Redis is looked up / Then the failure says that Testcontainers is missing
        assertThat(containers.unavailableReason()).contains("not on the test classpath");
        assertThatThrownBy(services::findRedisUri)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("org.testcontainers:testcontainers is not on the test classpath");
    }

    @Test
    void withTestcontainersOnTheClasspathItIsTheContainerSource() {
        // Given the test class path, which holds Testcontainers
        Containers containers = TestServices.containers(getClass().getClassLoader());

        // Then containers come from Testcontainers (whether Docker runs is asked only when needed)
        assertThat(containers).isInstanceOf(TestcontainersServers.class);
    }
}
