package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderValidationTest {

    @Test
    void missingUrlIsNamed() {
        assertThatThrownBy(() -> ResilientDataSource.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url is missing");
    }

    @Test
    void urlThatIsNotJdbcIsMalformed() {
        assertThatThrownBy(() -> ResilientDataSource.builder().url("postgres://db/app").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url is malformed");
    }

    @Test
    void malformedPostgresUrlIsNamedWithoutItsPassword() {
        assertThatThrownBy(() -> ResilientDataSource.builder().url("jdbc:postgresql://db:port/app?password=hunter2").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url is malformed").hasMessageNotContaining("hunter2");
    }

    @Test
    void badValuesNameTheParameterAndTheValue() {
        assertThatThrownBy(() -> ResilientDataSource.builder().maximumPoolSize(0))
                .hasMessageContaining("maximumPoolSize").hasMessageContaining("0");
        assertThatThrownBy(() -> ResilientDataSource.builder().maxLifetime(Duration.ofSeconds(1)))
                .hasMessageContaining("maxLifetime").hasMessageContaining("PT1S");
        assertThatThrownBy(() -> ResilientDataSource.builder().statementTimeout(Duration.ofMillis(-1)))
                .hasMessageContaining("statementTimeout");
        assertThatThrownBy(() -> TransactionOptions.builder().maxAttempts(0)).hasMessageContaining("maxAttempts");
    }

    @Test
    void contradictorySizesAreRejectedBeforeConnecting() {
        assertThatThrownBy(() -> ResilientDataSource.builder().url("jdbc:postgresql://127.0.0.1:1/app")
                .minimumIdle(10).maximumPoolSize(5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumIdle (10)");
    }

    @Test
    void passwordCannotSneakInAsADriverProperty() {
        assertThatThrownBy(() -> ResilientDataSource.builder().driverProperty("password", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password(...)");
    }

    @Test
    void escapeHatchCannotChangeTheCredentialsOrTheUrl() {
        assertThatThrownBy(() -> ResilientDataSource.builder().url("jdbc:postgresql://127.0.0.1:1/app")
                .hikariConfig(c -> c.setJdbcUrl("jdbc:postgresql://elsewhere/app")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hikariConfig");
        assertThatThrownBy(() -> ResilientDataSource.builder().schema(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
    }
}
