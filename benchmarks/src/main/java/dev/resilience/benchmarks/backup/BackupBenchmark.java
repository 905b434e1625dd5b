package dev.resilience.benchmarks.backup;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.LocalDirectoryStore;
import dev.resilience.backup.PgBinaries;
import dev.resilience.backup.PostgresBackup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Single-shot wall-clock comparison of a full backup (not a JMH microbenchmark: one run takes
 * seconds and is dominated by pg_dump and the disk). In the same run, order rotated per round:
 * {@code pg_dump -Fc} to a pipe that the JVM copies to a file (the least a pipe consumer does),
 * plain {@code pg_dump -Fc -f file}, this module's backup (stream + SHA-256 + fsync + structure check
 * + manifest, same gzip compression), and the same with AES-256-GCM encryption. Run with {@code -Xmx64m}; the peak
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

    /** One way to take the dump; returns the size of what it stored. */
    @FunctionalInterface
    private interface Variant {
        long take(Path dir) throws Exception;
    }

    private static void run(String host, int port, String user, int rounds, Path work) throws Exception {
        PgBinaries bins = PgBinaries.locate();
        BackupEncryption key = BackupEncryption.ofKey(Base64.getDecoder().decode(BackupEncryption.generateKey()), "bench");
        List<String> dumpCommand = List.of(bins.pgDump().toString(), "--host=" + host, "--port=" + port,
                "--username=" + user, "--no-password", "-Fc", DB);
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("pg_dump -Fc to a pipe", dir -> {
            // the least any pipe consumer does: read pg_dump's stdout and write it to a file
            Path file = dir.resolve("pipe.dump");
            Process p = new ProcessBuilder(dumpCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long size;
            try (InputStream in = p.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
                size = in.transferTo(out);
            }
            check(p);
            return size;
        });
        variants.put("pg_dump -Fc -f", dir -> {
            Path file = dir.resolve("plain.dump");
            List<String> command = new ArrayList<>(dumpCommand);
            command.add(command.size() - 1, "--file=" + file);
            check(new ProcessBuilder(command).inheritIO().start());
            return Files.size(file);
        });
        variants.put("backup", dir -> builder(host, port, user, dir).build().backup().sizeBytes());
        variants.put("backup + AES-256-GCM", dir -> builder(host, port, user, dir).encryption(key).build().backup().sizeBytes());
        List<String> names = new ArrayList<>(variants.keySet());
        Map<String, List<Long>> times = new LinkedHashMap<>();
        Map<String, List<Long>> jvmCpu = new LinkedHashMap<>();
        Map<String, List<Long>> toolCpu = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        names.forEach(n -> {
            times.put(n, new ArrayList<>());
            jvmCpu.put(n, new ArrayList<>());
            toolCpu.put(n, new ArrayList<>());
        });
        for (int round = 0; round < rounds; round++) {
            // rotate the order each round so page cache and background load favour no variant
            StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
            for (int step = 0; step < names.size(); step++) {
                String name = names.get((round + step) % names.size());
                Path dir = Files.createDirectories(work.resolve("r" + round + "-" + step));
                long[] cpu0 = cpuTicks();
                long t0 = System.nanoTime();
                sizes.put(name, variants.get(name).take(dir));
                long took = System.nanoTime() - t0;
                long[] cpu1 = cpuTicks();
                times.get(name).add(took);
                jvmCpu.get(name).add(cpu1[0] - cpu0[0]);
                toolCpu.get(name).add(cpu1[1] - cpu0[1]);
                deleteTree(dir);
                line.append(String.format(Locale.ROOT, " %s %.2f s;", name, took / 1e9));
            }
            System.out.println(line);
        }
        double pipe = median(times.get(names.get(0)));
        double plainBackup = median(times.get("backup"));
        for (String name : names) {
            double m = median(times.get(name));
            System.out.printf(Locale.ROOT, "median %-22s %7.2f s  ratio to pipe %.3f  to -f %.3f  to backup %.3f  (%d bytes)"
                            + "  CPU: JVM %.2f s, tools %.2f s%n",
                    name, m / 1e9, m / pipe, m / median(times.get("pg_dump -Fc -f")), m / plainBackup, sizes.get(name),
                    median(jvmCpu.get(name)) / 100.0, median(toolCpu.get(name)) / 100.0);
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "max heap %d MB, peak heap used (sum of pool peaks) %.1f MB%n",
                Runtime.getRuntime().maxMemory() >> 20, peakHeap / 1048576.0);
    }

    /**
     * This JVM's CPU time and that of its finished children (pg_dump, pg_restore) in clock ticks (1/100 s),
     * from /proc/self/stat: CPU seconds do not grow with the machine's load as wall-clock time does.
     */
    private static long[] cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 after the command name
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }

    private static void check(Process p) throws InterruptedException {
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pg_dump failed with exit code " + p.exitValue());
        }
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
