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
        String listed = list("list", "-s", store.toString());

        assertThat(listed).contains("resilience_env_db-1");
    }

    @Test
    void aServiceFromThePgServiceFileOverridesTheVariables() throws Exception {
        Path serviceFile = Path.of(System.getenv("PGSERVICEFILE"));
        java.nio.file.Files.writeString(serviceFile, "# test services\n[other]\nhost=elsewhere\n\n[resilience_svc]\n"
                + "host=svc-host\nport=7654\ndbname=svc_db\n");
        BackupManifest m = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        LocalDirectoryStore.of(store).saveManifest(new BackupManifest("svc_db-1", "svc_db", m.serverVersion(),
                m.pgDumpVersion(), m.startedAt(), m.finishedAt(), m.duration(), m.sizeBytes(), m.sha256(), m.format(),
                m.compression(), null, m.tier(), m.artifacts(), null, null, "svc-host:7654"));

        String listed = list("list", "--service", "resilience_svc", "-s", store.toString());

        assertThat(listed).contains("svc_db-1");
    }

    private static String list(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(BackupCommand.execute(args)).isZero();
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
