package dev.resilience.benchmarks.backup;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.BackupManifest;
import dev.resilience.backup.LocalDirectoryStore;
import dev.resilience.backup.PgBinaries;
import dev.resilience.backup.PostgresBackup;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Single-shot wall-clock comparison of a full backup (not a JMH microbenchmark: one run takes
 * seconds and is dominated by pg_dump and the disk). In the same run, order rotated per round:
 * plain {@code pg_dump -Fc -f file}, this module's backup (stream + SHA-256 + fsync + manifest, same
 * gzip compression), and the same with AES-256-GCM encryption. Run with {@code -Xmx64m}; the peak
 * heap used is printed.
 *
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.backup.BackupBenchmark \
 *     [--setup] [--drop] [--rounds 3] [--rows 2500000]
 * </pre>
 * {@code --setup} (re)creates the {@code resilience_backup_bench} database with generate_series;
 * {@code --drop} drops it at the end. Host 127.0.0.1:5432, user postgres (trust), or PGHOST/PGPORT/PGUSER.
 */
public final class BackupBenchmark {

    private static final String DB = "resilience_backup_bench";

    private BackupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean setup = List.of(args).contains("--setup");
        boolean drop = List.of(args).contains("--drop");
        int rounds = intArg(args, "--rounds", 3);
        int rows = intArg(args, "--rows", 2_500_000);
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String user = System.getenv().getOrDefault("PGUSER", "postgres");
        String admin = "jdbc:postgresql://" + host + ":" + port + "/postgres?user=" + user;
        if (setup) {
            setUp(admin, host, port, user, rows);
        }
        Path work = Files.createTempDirectory("resilience-backup-bench");
        try {
            run(host, port, user, rounds, work);
        } finally {
            deleteTree(work);
            if (drop) {
                exec(admin, "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            }
        }
    }

    private static void run(String host, int port, String user, int rounds, Path work) throws Exception {
        PgBinaries bins = PgBinaries.locate();
        BackupEncryption key = BackupEncryption.ofKey(Base64.getDecoder().decode(BackupEncryption.generateKey()), "bench");
        List<Long> plain = new ArrayList<>();
        List<Long> ours = new ArrayList<>();
        List<Long> encrypted = new ArrayList<>();
        long plainSize = 0;
        long ourSize = 0;
        for (int round = 0; round < rounds; round++) {
            // rotate the order each round so page cache and background load favour no variant
            for (int step = 0; step < 3; step++) {
                switch ((round + step) % 3) {
                    case 0: {
                        Path file = work.resolve("plain-" + round + ".dump");
                        long t0 = System.nanoTime();
                        Process p = new ProcessBuilder(bins.pgDump().toString(), "--host=" + host, "--port=" + port,
                                "--username=" + user, "--no-password", "-Fc", "-f", file.toString(), DB).inheritIO().start();
                        if (p.waitFor() != 0) {
                            throw new IllegalStateException("pg_dump failed");
                        }
                        plain.add(System.nanoTime() - t0);
                        plainSize = Files.size(file);
                        Files.delete(file);
                        break;
                    }
                    case 1: {
                        PostgresBackup backup = builder(host, port, user, work.resolve("ours-" + round)).build();
                        long t0 = System.nanoTime();
                        BackupManifest m = backup.backup();
                        ours.add(System.nanoTime() - t0);
                        ourSize = m.sizeBytes();
                        deleteTree(work.resolve("ours-" + round));
                        break;
                    }
                    default: {
                        PostgresBackup enc = builder(host, port, user, work.resolve("enc-" + round)).encryption(key).build();
                        long t0 = System.nanoTime();
                        enc.backup();
                        encrypted.add(System.nanoTime() - t0);
                        deleteTree(work.resolve("enc-" + round));
                        break;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "round %d: pg_dump -Fc %.2f s, backup %.2f s, backup+encryption %.2f s%n",
                    round + 1, plain.get(round) / 1e9, ours.get(round) / 1e9, encrypted.get(round) / 1e9);
        }
        double base = median(plain);
        System.out.printf(Locale.ROOT, "dump size: pg_dump -Fc %d bytes, backup %d bytes%n", plainSize, ourSize);
        System.out.printf(Locale.ROOT, "median pg_dump -Fc -f: %.2f s%n", base / 1e9);
        System.out.printf(Locale.ROOT, "median backup (sha256, gzip, fsync, manifest): %.2f s, ratio %.3f%n",
                median(ours) / 1e9, median(ours) / base);
        System.out.printf(Locale.ROOT, "median backup + AES-256-GCM: %.2f s, ratio %.3f%n",
                median(encrypted) / 1e9, median(encrypted) / base);
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "max heap %d MB, peak heap used (sum of pool peaks) %.1f MB%n",
                Runtime.getRuntime().maxMemory() >> 20, peakHeap / 1048576.0);
    }

    private static PostgresBackup.Builder builder(String host, int port, String user, Path store) {
        return PostgresBackup.builder().host(host).port(port).user(user).database(DB)
                .store(LocalDirectoryStore.of(store)).smallDumpRatio(0);
    }

    private static void setUp(String admin, String host, int port, String user, int rows) throws Exception {
        exec(admin, "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)", "CREATE DATABASE " + DB);
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + DB + "?user=" + user;
        long t0 = System.nanoTime();
        exec(url, "CREATE TABLE events AS SELECT g AS id, md5(g::text) AS a, md5((g * 7)::text) AS b,"
                        + " timestamptz '2026-01-01' - g * interval '1 second' AS at, (random() * 1000)::int AS n"
                        + " FROM generate_series(1, " + rows + ") g",
                "ALTER TABLE events ADD PRIMARY KEY (id)", "VACUUM ANALYZE events");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_database_size(current_database()))")) {
            rs.next();
            System.out.printf(Locale.ROOT, "created %s: %s in %.1f s%n", DB, rs.getString(1), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void exec(String url, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
