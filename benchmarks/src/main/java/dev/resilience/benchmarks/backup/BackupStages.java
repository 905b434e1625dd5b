package dev.resilience.benchmarks.backup;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.PgBinaries;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a backup's time goes, stage by stage, on the database {@link BackupBenchmark} sets up (run that
 * with {@code --setup} first, without {@code --drop}). Each round runs, order rotated, the dump through
 * ever more of the backup's pipeline: to a pipe copied by {@code transferTo}; through the backup's copy
 * loop and SHA-256; plus fsync; plus encryption. Then the fixed costs alone, several times each: the
 * version query (a JDBC connection), {@code pg_dump --version}, {@code pg_restore --list} on the dump,
 * and the fsync of a dump-sized file written just before.
 *
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.backup.BackupStages [--rounds 3]
 * </pre>
 */
public final class BackupStages {

    private static final String DB = "resilience_backup_bench";

    private BackupStages() {
    }

    @FunctionalInterface
    private interface Stage {
        void run(Path file) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 1 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 3;
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("PGPORT", "5432");
        String user = System.getenv().getOrDefault("PGUSER", "postgres");
        PgBinaries bins = PgBinaries.locate();
        List<String> dump = List.of(bins.pgDump().toString(), "--host=" + host, "--port=" + port,
                "--username=" + user, "--no-password", "-Fc", "--compress=6", DB);
        BackupEncryption key = BackupEncryption.ofKey(Base64.getDecoder().decode(BackupEncryption.generateKey()), "bench");
        Path work = Files.createTempDirectory("resilience-backup-stages");
        Map<String, Stage> stages = new LinkedHashMap<>();
        stages.put("pipe, transferTo", file -> {
            Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (InputStream in = p.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            }
            p.waitFor();
        });
        stages.put("pipe, copy + SHA-256", file -> pipeline(dump, file, false, null));
        stages.put("pipe, copy + SHA-256 + fsync", file -> pipeline(dump, file, true, null));
        stages.put("pipe, encrypt + SHA-256 + fsync", file -> pipeline(dump, file, true, key));
        Map<String, List<Long>> times = new LinkedHashMap<>();
        stages.keySet().forEach(n -> times.put(n, new ArrayList<>()));
        List<String> names = new ArrayList<>(stages.keySet());
        Path last = work.resolve("last.dump");
        for (int round = 0; round < rounds; round++) {
            for (int step = 0; step < names.size(); step++) {
                String name = names.get((round + step) % names.size());
                Path file = work.resolve("r" + round + "-" + step);
                long t0 = System.nanoTime();
                stages.get(name).run(file);
                times.get(name).add(System.nanoTime() - t0);
                if (name.equals("pipe, transferTo")) {
                    Files.move(file, last, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.delete(file);
                }
            }
        }
        times.forEach((name, list) -> System.out.printf(Locale.ROOT, "%-34s median %6.2f s  %s%n", name,
                median(list) / 1e9, list.stream().map(t -> String.format(Locale.ROOT, "%.2f", t / 1e9)).toList()));
        byte[] bytes = Files.readAllBytes(last);
        Map<String, Stage> fixed = new LinkedHashMap<>();
        fixed.put("version query (JDBC connect + SELECT)", f -> {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + DB + "?user=" + user);
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
                rs.next();
            }
        });
        fixed.put("pg_dump --version", f -> new ProcessBuilder(bins.pgDump().toString(), "--version")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor());
        fixed.put("pg_restore --list (structure check)", f -> {
            Process p = new ProcessBuilder(bins.pgRestore().toString(), "--list", "--file=/dev/null", "--format=custom")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream stdin = p.getOutputStream(); InputStream in = Files.newInputStream(last)) {
                in.transferTo(stdin);
            } catch (java.io.IOException brokenPipe) {
                // pg_restore --list stops after the table of contents
            }
            p.waitFor();
        });
        fixed.put("write dump-sized file + fsync", f -> {
            Path file = work.resolve("fsync");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                long t0 = System.nanoTime();
                ch.force(true);
                System.out.printf(Locale.ROOT, "    (fsync alone %.3f s)%n", (System.nanoTime() - t0) / 1e9);
            }
            Files.delete(file);
        });
        for (Map.Entry<String, Stage> e : fixed.entrySet()) {
            List<Long> list = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                e.getValue().run(null);
                list.add(System.nanoTime() - t0);
            }
            System.out.printf(Locale.ROOT, "%-40s median %6.3f s  %s%n", e.getKey(), median(list) / 1e9,
                    list.stream().map(t -> String.format(Locale.ROOT, "%.3f", t / 1e9)).toList());
        }
        Files.deleteIfExists(last);
        Files.delete(work);
    }

    /** The backup's own pipeline: 256 KiB copy loop, optional encryption, SHA-256, FileChannel, optional fsync. */
    private static void pipeline(List<String> dump, Path file, boolean fsync, BackupEncryption key) throws Exception {
        Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             InputStream in = p.getInputStream()) {
            OutputStream digesting = new java.io.FilterOutputStream(Channels.newOutputStream(ch)) {
                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    sha.update(b, off, len);
                    out.write(b, off, len);
                }

                @Override
                public void close() throws java.io.IOException {
                    flush();
                }
            };
            try (OutputStream out = key == null ? digesting : key.encrypt(digesting, "x.dump")) {
                byte[] buffer = new byte[256 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            }
            if (fsync) {
                ch.force(true);
            }
        }
        p.waitFor();
        sha.digest();
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
