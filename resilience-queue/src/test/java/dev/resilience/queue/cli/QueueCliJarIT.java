package dev.resilience.queue.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.queue.QueueDb;
import dev.resilience.queue.Task;
import dev.resilience.queue.TaskQueue;
import dev.resilience.testkit.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The self-contained jar {@code mvn package} builds ({@code target/resilience-queue-<version>-cli.jar}), run as its
 * own process with {@code java -jar}, as the README shows: nothing on its classpath but the jar.
 */
class QueueCliJarIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("clijar");
    static Path jar;

    record Run(int exitCode, String output) {
    }

    @BeforeAll
    static void findJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("resilience-queue-.*-cli\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/resilience-queue-*-cli.jar: run mvn package (or verify)"));
        }
    }

    private static Run java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-H", TestServices.postgresHost(), "-p", Integer.toString(TestServices.postgresPort()),
                "-d", db.name, "--schema", "clijar"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", "not-on-the-command-line");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void theJarRunsWithJavaDashJarAndManagesTheDeadLetterQueue() throws Exception {
        Run migrate = java("migrate");
        assertThat(migrate.exitCode()).as(migrate.output()).isZero();
        assertThat(migrate.output()).contains("schema clijar is up to date");

        TaskQueue queue = TaskQueue.builder(db.dataSource).schema("clijar").handler("hook", task -> { }).build();
        long id = queue.enqueue(Task.json("hook", "{}").idempotencyKey("order-9").build()).id();
        db.execute("UPDATE clijar.tasks SET state = 'dead', attempts = 3, finished_at = now() WHERE id = " + id);

        Run list = java("dead", "list");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output()).contains("hook attempts=3").contains("key=order-9");

        Run stats = java("stats");
        assertThat(stats.exitCode()).as(stats.output()).isZero();
        assertThat(stats.output()).containsPattern("hook\\s+0\\s+0\\s+1");

        Run unselected = java("dead", "reprocess");
        assertThat(unselected.exitCode()).isEqualTo(2);
        assertThat(unselected.output()).contains("--id");

        Run reprocess = java("dead", "reprocess", "--id", Long.toString(id));
        assertThat(reprocess.exitCode()).as(reprocess.output()).isZero();
        assertThat(reprocess.output()).contains("reprocessed 1").doesNotContain("not-on-the-command-line");
        assertThat(db.count("SELECT count(*) FROM clijar.tasks WHERE state = 'ready' AND id = " + id)).isEqualTo(1);
    }
}
