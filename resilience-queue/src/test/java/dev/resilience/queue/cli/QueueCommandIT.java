package dev.resilience.queue.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.queue.DeadLetterFilter;
import dev.resilience.queue.QueueDb;
import dev.resilience.queue.Task;
import dev.resilience.queue.TaskPolicy;
import dev.resilience.queue.TaskQueue;
import dev.resilience.testkit.TestServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The command line against a real queue schema. */
class QueueCommandIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("cli");
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-H", TestServices.postgresHost(), "-p", Integer.toString(TestServices.postgresPort()),
                "-d", db.name, "--schema", "cli"));
        CommandLine cli = QueueCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(all.toArray(new String[0]));
    }

    @Test
    void migrateListReprocessAndDiscardDeadTasks() throws Exception {
        assertThat(run("migrate")).isZero();
        assertThat(out.toString()).contains("schema cli is up to date");

        try (TaskQueue queue = TaskQueue.builder(db.dataSource).schema("cli").pollInterval(Duration.ofMillis(200))
                .handler("hook", task -> {
                    throw new IllegalStateException("503 from receiver");
                }, TaskPolicy.builder().maxAttempts(1).build()).build()) {
            queue.start();
            queue.enqueue(Task.json("hook", "{}").idempotencyKey("order-1").build());
            queue.enqueue(Task.json("hook", "{}").idempotencyKey("order-2").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().list(DeadLetterFilter.all(), 10).size() == 2);
        }

        assertThat(run("dead", "list", "--type", "hook", "--history")).isZero();
        assertThat(out.toString()).contains("hook attempts=1").contains("key=order-1").contains("key=order-2")
                .contains("java.lang.IllegalStateException: 503 from receiver").contains("QueueCommandIT");

        assertThat(run("stats")).isZero();
        assertThat(out.toString()).containsPattern("hook\\s+0\\s+0\\s+2");

        assertThat(run("dead", "discard")).isEqualTo(2);   // a selection is required
        assertThat(err.toString()).contains("--id").contains("--all");

        assertThat(run("dead", "reprocess", "--type", "hook")).isZero();
        assertThat(out.toString()).contains("reprocessed 2");
        assertThat(db.count("SELECT count(*) FROM cli.tasks WHERE state = 'ready'")).isEqualTo(2);
        db.execute("UPDATE cli.tasks SET state = 'dead', finished_at = now()");

        assertThat(run("dead", "discard", "--all")).isZero();
        assertThat(out.toString()).contains("discarded 2");
        assertThat(db.count("SELECT count(*) FROM cli.tasks")).isZero();
    }

    @Test
    void unreachableDatabaseExitsWithOneAndSaysWhy() {
        CommandLine cli = QueueCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("stats", "-H", "127.0.0.1", "-p", "1", "-d", "none");
        assertThat(code).isOne();
        assertThat(err.toString()).startsWith("error: cannot read queue stats");
    }
}
