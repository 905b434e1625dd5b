package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The pass-through methods of the JDBC wrappers are what {@link JdbcWrapperGenerator} writes today. */
class JdbcWrappersAreGeneratedTest {

    @Test
    void everyWrapperIsUpToDateWithItsGenerator() throws IOException {
        for (JdbcWrapperGenerator.Spec spec : JdbcWrapperGenerator.SPECS) {
            String current = Files.readString(spec.file());
            assertThat(JdbcWrapperGenerator.generate(spec, current))
                    .as(spec.file() + " differs from the generator's output: run JdbcWrapperGenerator.main from "
                            + "resilience-pool (or edit the generator, not the generated methods)")
                    .isEqualTo(current);
        }
    }

    @Test
    void generatedMethodsCarryTheJdkParameterNames() throws IOException {
        String statement = Files.readString(JdbcWrapperGenerator.SOURCES.resolve("ObservedPreparedStatement.java"));

        assertThat(statement).contains("public void setString(int parameterIndex, String x)").doesNotContain(" a0");
    }
}
