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
        assertThat(db.count("SELECT count(*) FROM together.schema_version")).isOne();
        assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE schemaname = 'together' AND tablename = 'tasks'"))
                .isEqualTo(5);
    }

    @Test
    void migratingAgainChangesNothing() throws Exception {
        queue("again").migrate();
        queue("again").enqueue(Task.json("job", "{}").build());
        queue("again").migrate();
        assertThat(db.count("SELECT count(*) FROM again.schema_version")).isOne();
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
    void claimQueryWalksThePartialIndexAndStopsAtItsLimit() throws Exception {
        queue("plan").migrate();
        db.execute("INSERT INTO plan.tasks (type, payload, state, finished_at) SELECT 'job', '\\x00', 'done', now()"
                        + " FROM generate_series(1, 50000)",
                "INSERT INTO plan.tasks (type, payload) SELECT 'job', '\\x00' FROM generate_series(1, 5000)",
                "ANALYZE plan.tasks");
        String claim = new Sql("plan").claim().replaceFirst("\\?", "'{job}'::text[]").replaceFirst("\\?", "10")
                .replaceFirst("\\?", "'instance-1'").replaceFirst("\\?", "30000");
        StringBuilder plan = new StringBuilder();
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN (COSTS OFF) " + claim)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        System.out.println("claim query plan:\n" + claim + "\n" + plan);
        assertThat(plan.toString()).contains("Index Scan using tasks_ready").contains("Limit").contains("LockRows")
                .doesNotContain("Seq Scan on tasks").doesNotContain("Sort");
    }
}
