package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.TestServices;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kill -9 of a worker process mid-task: its tasks are redelivered after the lease, none lost. */
class KillWorkerIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("kill");

    @Test
    void tasksOfAKilledWorkerProcessAreRedeliveredAfterTheLease() throws Exception {
        TaskQueue survivor = TaskQueue.builder(db.dataSource).schema("killed").instanceName("survivor")
                .pollInterval(Duration.ofMillis(200)).leaseDuration(Duration.ofSeconds(2))
                .handler("job", task -> { }).build();
        survivor.migrate();
        for (int i = 0; i < 5; i++) {
            survivor.enqueue(Task.json("job", "{}").build());
        }

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                BlockingWorkerMain.class.getName(), TestServices.postgresUrl(db.name), "killed")
                .redirectErrorStream(true).start();
        Set<Long> startedInChild = ConcurrentHashMap.newKeySet();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("started ")) {
                        startedInChild.add(Long.parseLong(line.substring("started ".length()).trim()));
                    }
                }
            } catch (Exception ignored) {
                // the process was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        List<TaskContext> runs = new CopyOnWriteArrayList<>();
        List<Duration> redeliveredAfter = new CopyOnWriteArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> startedInChild.size() == 2);
            // the child's heartbeat keeps its leases alive for well past the 2 s lease: the two tasks its two workers
            // run and the three it claimed ahead of them (it holds up to workers + batchSize)
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> db.count("SELECT count(*) FROM killed.tasks WHERE state = 'running' AND lease_owner LIKE 'child/%'") == 5);
        } finally {
            child.destroyForcibly();   // SIGKILL: no shutdown hook, no lease given back
            child.waitFor();
        }
        long killedAt = System.nanoTime();

        try (TaskQueue queue = TaskQueue.builder(db.dataSource).schema("killed").instanceName("survivor")
                .pollInterval(Duration.ofMillis(200)).leaseDuration(Duration.ofSeconds(2))
                .heartbeatInterval(Duration.ofMillis(300)).handler("job", task -> {
                    if (startedInChild.contains(task.id())) {
                        redeliveredAfter.add(Duration.ofNanos(System.nanoTime() - killedAt));
                    }
                    runs.add(task);
                }).build()) {
            queue.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> db.count("SELECT count(*) FROM killed.tasks") == 0);
        }
        assertThat(runs).hasSize(5);
        assertThat(runs.stream().filter(run -> startedInChild.contains(run.id()))).hasSize(2);
        // the three claimed ahead and never started lost their lease too: counted as an attempt
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.attempt()).isEqualTo(2);
            assertThat(run.previousFailure().orElseThrow().error()).isEqualTo("lease expired");
        });
        // the child's last heartbeat was at most 300 ms before the kill and leased for 2 s
        assertThat(redeliveredAfter).allSatisfy(after -> assertThat(after).isGreaterThanOrEqualTo(Duration.ofMillis(1600)));
    }
}
