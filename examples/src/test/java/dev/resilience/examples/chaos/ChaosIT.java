package dev.resilience.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.resilience.examples.chaos.ChaosInvariants.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos run ({@link ChaosScenario}) inside {@code mvn verify}: one cycle of the short fault schedule
 * (about 40 s with the warm-up) by default; {@code -Dchaos.cycles=10 -Dchaos.schedule=full} for the long
 * mode (the {@code chaos} profile of the examples pom). Prints the invariant table and writes it, with the
 * machine's load average, to {@code target/chaos/chaos-report.md}; fails when any invariant broke.
 */
class ChaosIT {

    @TempDir
    Path dir;

    @Test
    void theExampleKeepsItsPromisesThroughTheFaultSchedule() throws Exception {
        int cycles = Integer.getInteger("chaos.cycles", 1);
        ChaosScenario.Schedule schedule = ChaosScenario.Schedule.named(System.getProperty("chaos.schedule", "short"));
        String loadBefore = loadAverage();
        Instant start = Instant.now();
        ChaosObservations run = assertTimeoutPreemptively(Duration.ofSeconds(150 + 75L * cycles),
                () -> ChaosScenario.run(dir, cycles, schedule, System.out));
        Duration took = Duration.between(start, Instant.now());
        List<Verdict> verdicts = ChaosInvariants.check(run);
        String table = ChaosInvariants.table(verdicts);
        String report = "Chaos run: " + cycles + " cycle(s) of the " + System.getProperty("chaos.schedule", "short") + " schedule, " + took.toSeconds() + " s from start to verdict, " + run.calls().size()
                + " requests, started " + start + "\nload average (1, 5, 15 min) before: " + loadBefore + ", after: " + loadAverage()
                + "\n\n" + table;
        System.out.println(report);
        Path out = Path.of("target", "chaos");
        Files.createDirectories(out);
        Files.writeString(out.resolve("chaos-report.md"), report, StandardCharsets.UTF_8);
        // the service's whole output, for whoever reads a failed verdict
        Files.copy(dir.resolve("service.log"), out.resolve("service.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(verdicts).as(report).allMatch(Verdict::held);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
