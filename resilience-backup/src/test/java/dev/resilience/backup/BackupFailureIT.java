package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.FailingPostgresServer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFailureIT {

    private static final String SECRET = "hunter2-Sekr3t";
    private final PgFixture pg = new PgFixture();
    @TempDir Path store;
    @TempDir Path work;

    @AfterEach
    void dropDatabases() throws Exception {
        pg.close();
    }

    @Test
    void aPgDumpKilledMidwayLeavesNoBackupNoPartialAndEarlierBackupsIntact() throws Exception {
        String db = pg.createSampleDatabase("killed");
        PostgresBackup good = PgFixture.builder(db, store).build();
        BackupManifest earlier = good.backup();
        Path bin = PgFixture.fakePgDump(work, "\"$REAL_PG_DUMP\" \"$@\" | head -c 4000\nkill -9 $$");
        PostgresBackup killed = PgFixture.builder(db, store).binaries(PgBinaries.in(bin)).build();

        assertThatThrownBy(killed::backup).isInstanceOf(BackupException.class)
                .hasMessageContaining("pg_dump was killed").hasMessageContaining("signal 9");

        assertThat(storeFiles()).containsExactlyInAnyOrder(earlier.dump().name(), earlier.id() + ".manifest.json", "audit.jsonl");
        assertThat(good.list()).containsExactly(earlier);
        good.verify(earlier.id());
        assertThat(Files.readString(store.resolve("audit.jsonl"))).contains("\"success\":false").contains("killed");
        assertThat(killed.asHealthCheck().check().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void theRealPgDumpKilledWhileStreamingLeavesNoBackupAndNoPartial() throws Exception {
        String db = pg.createSampleDatabase("realkill");
        PgFixture.execute(db, "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS a, md5((g * 3)::text) AS b"
                + " FROM generate_series(1, 400000) g");
        PostgresBackup backup = PgFixture.builder(db, store).compression(Compression.gzip(9)).build();
        java.util.concurrent.CompletableFuture<BackupManifest> running =
                java.util.concurrent.CompletableFuture.supplyAsync(backup::backup);

        // once bytes are streaming into the partial file, kill -9 the pg_dump child of this JVM
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> partialSize() > 0);
        ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("pg_dump")).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);

        assertThatThrownBy(running::join).hasCauseInstanceOf(BackupException.class)
                .hasMessageContaining("pg_dump was killed");
        assertThat(storeFiles()).containsExactly("audit.jsonl");
    }

    private long partialSize() throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(p -> p.toString().endsWith(".partial")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void garbageFromAPgDumpThatExitsZeroIsNoBackup() throws Exception {
        String db = pg.createSampleDatabase("garbage");
        Path bin = PgFixture.fakePgDump(work, "head -c 20000 /dev/urandom\nexit 0");
        PostgresBackup backup = PgFixture.builder(db, store).binaries(PgBinaries.in(bin)).build();

        assertThatThrownBy(backup::backup).isInstanceOf(BackupException.class)
                .hasMessageContaining("table of contents");

        assertThat(storeFiles()).containsExactly("audit.jsonl");
        assertThat(backup.list()).isEmpty();
        assertThat(backup.asHealthCheck().check().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void pgDumpStderrIsInTheErrorAndTheAuditLogWithTheSecretRedacted() throws Exception {
        String db = pg.createSampleDatabase("stderr");
        Path bin = PgFixture.fakePgDump(work, "echo \"could not connect with " + SECRET + " password=" + SECRET + "\" >&2\nexit 1");
        PostgresBackup backup = PgFixture.builder(db, store).password(SECRET.toCharArray())
                .binaries(PgBinaries.in(bin)).build();

        assertThatThrownBy(backup::backup).isInstanceOf(BackupException.class)
                .hasMessageContaining("pg_dump exited with code 1").hasMessageContaining("could not connect with ***")
                .hasMessageNotContaining(SECRET);
        assertThat(Files.readString(store.resolve("audit.jsonl"))).contains("could not connect").doesNotContain(SECRET);
        assertThat(storeFiles()).containsExactly("audit.jsonl");
    }

    @Test
    void aFullDiskLeavesNoPartialAndSaysWhy() throws Exception {
        String db = pg.createSampleDatabase("diskfull");
        LocalDirectoryStore local = LocalDirectoryStore.of(store);
        PostgresBackup backup = PgFixture.builder(db, store).store(new FullAfter(local, 4096)).build();

        assertThatThrownBy(backup::backup).isInstanceOf(BackupException.class).hasMessageContaining("No space left on device");

        assertThat(storeFiles()).containsExactly("audit.jsonl");
    }

    @Test
    void aPgDumpOlderThanTheServerIsRefusedNamingBothVersions() throws Exception {
        String db = pg.createSampleDatabase("oldclient");
        Path bin = PgFixture.fakePgDump(work.resolve("old"), "exit 1");
        Files.writeString(bin.resolve("pg_dump"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.9'\n");
        PostgresBackup backup = PgFixture.builder(db, store).binaries(PgBinaries.in(bin)).build();

        assertThatThrownBy(backup::backup).isInstanceOf(BackupException.class)
                .hasMessageContaining("pg_dump is older than the server").hasMessageContaining("14.9")
                .hasMessageContaining("(major 15)");
        assertThat(storeFiles()).containsExactly("audit.jsonl");
    }

    @Test
    void aMissingPgDumpNamesWhereItLooked() throws Exception {
        String db = pg.createSampleDatabase("missing");
        Path empty = Files.createDirectories(work.resolve("empty-bin"));
        PostgresBackup backup = PgFixture.builder(db, store).password(SECRET.toCharArray())
                .binaries(PgBinaries.in(empty)).build();

        assertThatThrownBy(backup::backup).isInstanceOf(BackupException.class)
                .hasMessageContaining("pg_dump not found").hasMessageContaining(empty.toString())
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aRejectedPasswordGivesTheServersReasonAndNeverTheSecret() throws Exception {
        try (FailingPostgresServer server = FailingPostgresServer.rejectingPasswords()) {
            PostgresBackup backup = PostgresBackup.builder().host("127.0.0.1").port(server.port())
                    .database("resilience_backup_auth").user("backup").password(SECRET.toCharArray())
                    .store(LocalDirectoryStore.of(store)).auditLog(store.resolve("audit.jsonl")).build();

            assertThatThrownBy(backup::backup).isInstanceOf(BackupException.class)
                    .hasMessageContaining("password authentication failed for user \"backup\"")
                    .hasMessageContaining("backup@127.0.0.1:" + server.port())
                    .hasMessageNotContaining(SECRET);
            assertThat(server.passwordsReceived()).contains(SECRET);
            assertThat(Files.readString(store.resolve("audit.jsonl"))).contains("password authentication failed")
                    .doesNotContain(SECRET);
        }
    }

    @Test
    void thePasswordReachesPgDumpOnlyThroughAPrivateTemporaryPassFile() throws Exception {
        String db = pg.createSampleDatabase("passfile");
        Path seen = work.resolve("seen");
        Path bin = PgFixture.fakePgDump(work, String.join("\n",
                "echo \"$@\" > " + seen + ".args",
                "env > " + seen + ".env",
                "stat -c %a \"$PGPASSFILE\" > " + seen + ".mode",
                "cat \"$PGPASSFILE\" > " + seen + ".pass",
                "echo \"$PGPASSFILE\" > " + seen + ".path",
                "exec \"$REAL_PG_DUMP\" \"$@\""));
        PostgresBackup backup = PgFixture.builder(db, store).password(SECRET.toCharArray())
                .binaries(PgBinaries.in(bin)).build();

        backup.backup();

        assertThat(Files.readString(Path.of(seen + ".args"))).doesNotContain(SECRET).contains("--no-password");
        assertThat(Files.readString(Path.of(seen + ".env"))).doesNotContain(SECRET).doesNotContain("PGPASSWORD=");
        assertThat(Files.readString(Path.of(seen + ".mode")).trim()).isEqualTo("600");
        assertThat(Files.readString(Path.of(seen + ".pass"))).isEqualTo("*:*:*:postgres:" + SECRET + "\n");
        assertThat(Path.of(Files.readString(Path.of(seen + ".path")).trim())).doesNotExist();
    }

    /** The store's files, once the private work folder is checked to hold no file (no password, no stderr left). */
    private List<String> storeFiles() throws IOException {
        Path work = store.resolve(".resilience-work");
        if (Files.exists(work)) {
            try (Stream<Path> left = Files.walk(work)) {
                assertThat(left.filter(Files::isRegularFile)).isEmpty();
            }
        }
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(p -> !p.equals(work)).map(p -> p.getFileName().toString()).toList();
        }
    }

    /** A store whose disk "fills up" after {@code limit} bytes of an artifact. */
    private static final class FullAfter implements BackupStore {
        private final BackupStore delegate;
        private final long limit;

        FullAfter(BackupStore delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public PendingArtifact create(String name) throws IOException {
            PendingArtifact real = delegate.create(name);
            OutputStream limited = new FilterOutputStream(real.output()) {
                long written;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    written += len;
                    if (written > limit) {
                        throw new IOException("No space left on device");
                    }
                    out.write(b, off, len);
                }
            };
            return new PendingArtifact() {
                @Override
                public OutputStream output() {
                    return limited;
                }

                @Override
                public void commit() throws IOException {
                    real.commit();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public InputStream open(String name) throws IOException {
            return delegate.open(name);
        }

        @Override
        public void saveManifest(BackupManifest manifest) throws IOException {
            delegate.saveManifest(manifest);
        }

        @Override
        public List<BackupManifest> manifests() throws IOException {
            return delegate.manifests();
        }

        @Override
        public void delete(BackupManifest manifest) throws IOException {
            delegate.delete(manifest);
        }

        @Override
        public OptionalDouble freeSpaceRatio() {
            return delegate.freeSpaceRatio();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }
}
