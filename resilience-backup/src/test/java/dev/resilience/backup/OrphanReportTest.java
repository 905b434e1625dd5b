package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.cli.BackupCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dump whose manifest is gone is not a backup the catalog can show, but it is reported, never invisible. */
class OrphanReportTest {

    @TempDir Path store;

    @Test
    void aDumpWithoutAManifestIsReportedAsAnOrphanByTheApiAndTheCli() throws Exception {
        BackupManifest listed = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        LocalDirectoryStore.of(store).saveManifest(listed);
        Files.writeString(store.resolve(listed.dump().name()), "listed");
        Files.writeString(store.resolve("db-lost.dump"), "no manifest");
        Files.writeString(store.resolve("audit.jsonl"), "");
        PostgresBackup backup = PostgresBackup.builder().database("db").store(LocalDirectoryStore.of(store)).build();

        assertThat(backup.orphans()).containsExactly("db-lost.dump");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(BackupCommand.execute("list", "-d", "db", "-s", store.toString())).isZero();
        } finally {
            System.setOut(previous);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("orphan: db-lost.dump");
    }
}
