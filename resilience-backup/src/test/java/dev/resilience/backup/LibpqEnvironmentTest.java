package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.cli.BackupCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI takes host, port, user and database from libpq's PGHOST, PGPORT, PGUSER and PGDATABASE (set
 * for this test JVM by the surefire configuration): a backup of that database on that server is listed
 * without any connection option.
 */
class LibpqEnvironmentTest {

    @TempDir Path store;

    @Test
    void listWithoutConnectionOptionsUsesTheLibpqVariables() throws Exception {
        assertThat(System.getenv("PGDATABASE")).as("PGDATABASE must be set by the surefire configuration")
                .isEqualTo("resilience_env_db");
        BackupManifest m = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        LocalDirectoryStore.of(store).saveManifest(new BackupManifest("resilience_env_db-1", "resilience_env_db",
                m.serverVersion(), m.pgDumpVersion(), m.startedAt(), m.finishedAt(), m.duration(), m.sizeBytes(),
                m.sha256(), m.format(), m.compression(), null, m.tier(), m.artifacts(), null, null,
                "resilience-env-host:6543"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            code = BackupCommand.execute("list", "-s", store.toString());
        } finally {
            System.setOut(previous);
        }

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("resilience_env_db-1");
    }
}
