package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.queue.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migrations: once, idempotent, safe when instances start together; the claim query uses its index. */
class SchemaIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("schema");

    private static TaskQueue queue(String schema) {
        return TaskQueue.builder(db.dataSource).schema(schema).handler("job", task -> { }).build();
    }

    @Test
    void instancesStartingTogetherMigrateTheSchemaExactlyOnce() throws Exception {
        int instances = 6;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> migrations = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                migrations.add(pool.submit(() -> {
                    go.await();
                    queue("together").migrate();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> migration : migrations) {
                migration.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.count("SELECT count(*) FROM together.schema_version")).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE schemaname = 'together' AND tablename = 'tasks'"))
                .isEqualTo(7);
    }

    @Test
    void migratingAgainChangesNothing() throws Exception {
        queue("again").migrate();
        queue("again").enqueue(Task.json("job", "{}").build());
        queue("again").migrate();
        assertThat(db.count("SELECT count(*) FROM again.schema_version")).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM again.tasks")).isOne();
    }

    @Test
    void schemaNewerThanTheLibraryIsRefused() throws Exception {
        queue("newer").migrate();
        db.execute("INSERT INTO newer.schema_version(version) VALUES (99)");
        assertThatThrownBy(() -> queue("newer").migrate()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("version 99").hasMessageContaining("upgrade resilience-queue");
    }

    @Test
    void claimWalksThePartialIndexInOrderEvenWithStaleStatistics() throws Exception {
        queue("plan").migrate();
        // a burst into a table autovacuum has not analysed yet: the planner guesses one ready row, there are 10,000
        db.execute("INSERT INTO plan.tasks (type, payload) SELECT 'job', '\\x00' FROM generate_series(1, 10000)");
        String inner = new Sql("plan").claimStatement().replace("p_types", "'{job}'::text[]").replace("p_limit", "10")
                .replace("p_owner", "'instance-1'").replace("p_lease_ms", "30000");
        String plan;
        String configured;
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT array_to_string(proconfig, ',') FROM pg_proc"
                    + " WHERE proname = 'claim' AND pronamespace = 'plan'::regnamespace")) {
                rs.next();
                configured = rs.getString(1);
            }
            c.setAutoCommit(false);
            plan = explain(s, inner);      // what the planner would do outside the function: sort it all
            s.execute("SET LOCAL enable_sort = off");
            String inFunction = explain(s, inner);
            c.rollback();
            System.out.println("claim plan with stale statistics, as the claim function runs it:\n" + inFunction);
            assertThat(inFunction).contains("Index Scan using tasks_ready").contains("Limit").contains("LockRows")
                    .doesNotContain("Sort").doesNotContain("Bitmap").doesNotContain("Seq Scan on tasks");
        }
        assertThat(configured).isEqualTo("enable_sort=off");
        assertThat(plan).contains("Sort");   // the reason the function exists
    }

    private static String explain(Statement s, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN (COSTS OFF) " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
