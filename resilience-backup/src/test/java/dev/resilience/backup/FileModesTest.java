package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.cli.BackupCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything holding data or secrets is 0600/0700, and a refused command changes nothing. */
class FileModesTest {

    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    @TempDir Path dir;

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** A store holding one backup of database "db" whose dump is the three bytes "abc". */
    private Path storeWithOneBackup() throws IOException {
        Path storeDir = dir.resolve("store");
        LocalDirectoryStore store = LocalDirectoryStore.of(storeDir);
        Instant at = Instant.parse("2026-03-01T02:00:00Z");
        BackupArtifact dump = new BackupArtifact(BackupArtifact.Kind.DUMP, "db-1.dump", 3, ABC_SHA256);
        try (BackupStore.PendingArtifact pending = store.create(dump.name())) {
            pending.output().write("abc".getBytes(StandardCharsets.US_ASCII));
            pending.commit();
        }
        store.saveManifest(new BackupManifest("db-1", "db", "15.0", "pg_dump 15.0", at, at, Duration.ZERO, 3, ABC_SHA256,
                DumpFormat.CUSTOM, "gzip:6", null, BackupTier.DAILY, List.of(dump), null, null));
        return storeDir;
    }

    @Test
    void aNewStoreFolderAndItsAuditLogAreOwnerOnly() throws IOException {
        Path storeDir = dir.resolve("new-store");
        LocalDirectoryStore.of(storeDir);
        AuditLog.at(storeDir.resolve("audit.jsonl")).onEvent(new BackupEvent(BackupEvent.Type.PRUNE, true, null,
                Instant.EPOCH, Duration.ZERO, 0, null, "x"));

        assertThat(mode(storeDir)).isEqualTo("rwx------");
        assertThat(mode(storeDir.resolve("audit.jsonl"))).isEqualTo("rw-------");
    }

    @Test
    void anExportIsOwnerOnly() throws IOException {
        Path storeDir = storeWithOneBackup();
        Path out = dir.resolve("dump.out");

        int code = BackupCommand.execute("export", "-d", "db", "-s", storeDir.toString(), "--artifact", "dump",
                "-o", out.toString(), "db-1");

        assertThat(code).isZero();
        assertThat(Files.readString(out)).isEqualTo("abc");
        assertThat(mode(out)).isEqualTo("rw-------");
    }

    @Test
    void aRefusedExportLeavesAnExistingOutputFileUntouched() throws IOException {
        Path storeDir = storeWithOneBackup();
        Path out = Files.writeString(dir.resolve("precious.sql"), "keep me");

        int code = BackupCommand.execute("export", "-d", "db", "-s", storeDir.toString(), "--artifact", "globals",
                "-o", out.toString(), "db-1");

        assertThat(code).isEqualTo(1);
        assertThat(Files.readString(out)).isEqualTo("keep me");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("store", "precious.sql");
        }
    }

    @Test
    void keygenWritesANewOwnerOnlyKeyFileAndNeverOverwritesOne() throws IOException {
        Path key = dir.resolve("backup.key");

        assertThat(BackupCommand.execute("keygen", "-o", key.toString())).isZero();
        String written = Files.readString(key);
        assertThat(BackupCommand.execute("keygen", "-o", key.toString())).isEqualTo(2);

        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(BackupEncryption.fromKeyFile(key, null).keyId()).startsWith("sha256:");
        assertThat(Files.readString(key)).isEqualTo(written);
    }
}
