package dev.resilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real throwaway cluster: data survives a stop and a start, stops refuse connections, read-only mode refuses writes. */
class PostgresClusterIT {

    private static PostgresCluster pg;

    @BeforeAll
    static void start() {
        pg = PostgresCluster.start();
    }

    @AfterAll
    static void close() {
        pg.close();
    }

    @Test
    void keepsDataAcrossAFastStopAndAStart() {
        pg.createDatabase("kept");
        pg.psql("kept", "CREATE TABLE t (v int); INSERT INTO t VALUES (42)");

        pg.stop();
        assertThat(pg.isRunning()).isFalse();
        assertThat(TestServices.isListening(pg.host(), pg.port())).isFalse();
        assertThatThrownBy(() -> pg.psql("kept", "SELECT 1")).isInstanceOf(IllegalStateException.class);

        pg.startAgain();
        assertThat(pg.psql("kept", "SELECT v FROM t").trim()).isEqualTo("42");
    }

    @Test
    void survivesAnImmediateStopLikeACrash() {
        pg.stopImmediately();
        assertThat(TestServices.isListening(pg.host(), pg.port())).isFalse();

        pg.restart();
        assertThat(pg.psql("postgres", "SELECT 1").trim()).isEqualTo("1");
    }

    @Test
    void readOnlyRefusesWritesUntilSetBack() {
        pg.createDatabase("ro");
        pg.setReadOnly(true);
        assertThatThrownBy(() -> pg.psql("ro", "CREATE TABLE w (v int)"))
                .hasMessageContaining("read-only transaction");

        pg.setReadOnly(false);
        pg.psql("ro", "CREATE TABLE w (v int)");
        assertThat(pg.psql("ro", "SELECT count(*) FROM w").trim()).isEqualTo("0");
    }

    @Test
    void jdbcUrlNamesThePortAndDatabase() {
        assertThat(pg.jdbcUrl("orders")).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/orders?user=postgres");
    }
}
