package dev.resilience.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster of the test's own: {@code initdb} into a temporary folder, a free
 * loopback port, trust authentication for user {@code postgres}. The test can {@link #stop()} it
 * (fast shutdown: sessions are told and cut), {@link #stopImmediately()} (the server seems to crash),
 * {@link #startAgain()} on the same port with the same data, or make it {@link #setReadOnly read-only}
 * as a demoted primary would be, without touching any server other tests share.
 *
 * <pre>{@code
 * try (PostgresCluster pg = PostgresCluster.start()) {
 *     pg.createDatabase("orders");
 *     DataSource ds = ...pg.jdbcUrl("orders")...;
 *     pg.stop();       // connection refused from now on
 *     pg.startAgain(); // same port, same data
 * }                    // stopped immediately and deleted
 * }</pre>
 *
 * <p>Needs PostgreSQL's server binaries ({@code initdb}, {@code pg_ctl}, {@code psql}): taken from
 * {@code RESILIENCE_TEST_PG_BIN} when set, else the newest {@code /usr/lib/postgresql/<version>/bin},
 * else the {@code PATH}; fails with a message that says so otherwise. When the tests run as root the
 * server runs as the {@code postgres} system user (PostgreSQL refuses to run as root). A cluster takes
 * one to two seconds to create. Thread-safe.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final String PG_BIN_ENV = "RESILIENCE_TEST_PG_BIN";

    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    private PostgresCluster(Path bin, Path base, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * Creates a cluster on a free port and starts it.
     *
     * @return the running cluster; close it after the test (it deletes its folder)
     * @throws IllegalStateException when the binaries are missing or the server does not come up; the
     *     message holds the tool's output
     */
    public static PostgresCluster start() {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        PostgresCluster cluster;
        try {
            Path base = Files.createTempDirectory("resilience-pg-");
            if (root) {
                UserPrincipal postgres = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(base, postgres);
            }
            cluster = new PostgresCluster(bin, base, TestServices.freeLoopbackPort(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a folder for a PostgreSQL cluster", e);
        }
        try {
            cluster.run("initdb", "-D", cluster.data.toString(), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--no-sync", "--no-instructions");
            cluster.startServer();
        } catch (RuntimeException e) {
            cluster.delete();
            throw e;
        }
        return cluster;
    }

    /**
     * The port the server listens on, kept across {@link #stop()} and {@link #start()}.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * {@code 127.0.0.1}.
     *
     * @return the host
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * {@code jdbc:postgresql://127.0.0.1:<port>/<database>?user=postgres}.
     *
     * @param database the database name
     * @return the URL, as the postgres superuser without a password
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + database + "?user=postgres";
    }

    /**
     * True while the server runs (between a start and a stop).
     *
     * @return true while running
     */
    public synchronized boolean isRunning() {
        return running;
    }

    /**
     * Creates a database owned by {@code postgres}.
     *
     * @param name the database name, a plain SQL identifier
     */
    public void createDatabase(String name) {
        psql("postgres", "CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
    }

    /**
     * Runs SQL with {@code psql} as {@code postgres} and returns what it printed (unaligned, tuples only),
     * e.g. {@code psql("orders", "SELECT count(*) FROM orders").trim()}.
     *
     * @param database the database to connect to
     * @param sql the statements to run
     * @return the output, trimmed
     * @throws IllegalStateException when psql fails; the message holds its output
     */
    public String psql(String database, String sql) {
        return run("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", host(), "-p", Integer.toString(port),
                "-U", "postgres", "-d", database, "-c", sql);
    }

    /** Starts the server again after a stop, on the same port with the same data; waits until it accepts connections. */
    public synchronized void restart() {
        stop();
        startServer();
    }

    /** Starts a stopped server; a no-op when it runs. */
    public synchronized void startAgain() {
        if (!running) {
            startServer();
        }
    }

    /** Fast shutdown ({@code pg_ctl stop -m fast}): sessions are ended, new connections are refused. */
    public synchronized void stop() {
        stopServer("fast");
    }

    /** Immediate shutdown ({@code pg_ctl stop -m immediate}): the server goes away as in a crash. */
    public synchronized void stopImmediately() {
        stopServer("immediate");
    }

    /**
     * Makes every new transaction read-only ({@code default_transaction_read_only}), as on a demoted
     * primary or a hot standby: writes then fail with SQLSTATE 25006. Sessions already open keep their
     * setting until they reconnect, like {@code ALTER SYSTEM} on a real server.
     *
     * @param readOnly true to refuse writes, false to allow them again
     */
    public void setReadOnly(boolean readOnly) {
        psql("postgres", "ALTER SYSTEM SET default_transaction_read_only = " + (readOnly ? "on" : "off"));
        psql("postgres", "SELECT pg_reload_conf()");
    }

    /** Stops the server immediately and deletes its folder. */
    @Override
    public synchronized void close() {
        try {
            stopServer("immediate");
        } finally {
            delete();
        }
    }

    private void startServer() {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + base
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        run("pg_ctl", "-D", data.toString(), "-o", options, "-l", base.resolve("server.log").toString(),
                "-w", "-t", "60", "start");
        running = true;
    }

    private void stopServer(String mode) {
        if (!running) {
            return;
        }
        run("pg_ctl", "-D", data.toString(), "-m", mode, "-w", "-t", "60", "stop");
        running = false;
    }

    /**
     * The server's log so far, for a failing test's message.
     *
     * @return the log text, or a note saying why there is none yet
     */
    public String serverLog() {
        try {
            return Files.readString(base.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(Arrays.asList(args));
        try {
            Path output = Files.createTempFile("pg-tool-", ".out");
            try {
                Process process = new ProcessBuilder(command).directory(base.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(tool + " did not finish within 90 s");
                }
                String printed = Files.readString(output, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(tool + " exited with " + process.exitValue() + ": " + printed.strip()
                            + ("pg_ctl".equals(tool) ? "\nserver log:\n" + serverLog() : ""));
                }
                return printed;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + tool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + tool, e);
        }
    }

    private void delete() {
        try (Stream<Path> paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }

    private static Path findBinaries() {
        String explicit = System.getenv(PG_BIN_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit.trim());
        }
        File[] versions = new File("/usr/lib/postgresql").listFiles();
        if (versions != null) {
            Path newest = Arrays.stream(versions)
                    .filter(version -> new File(version, "bin/initdb").canExecute())
                    .max(Comparator.comparingInt(PostgresCluster::majorVersion))
                    .map(version -> version.toPath().resolve("bin"))
                    .orElse(null);
            if (newest != null) {
                return newest;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (new File(entry, "initdb").canExecute() && new File(entry, "pg_ctl").canExecute()) {
                    return Path.of(entry);
                }
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries (initdb, pg_ctl) are not installed: this test "
                + "starts and stops a PostgreSQL cluster of its own. Install them (apt-get install postgresql, "
                + "brew install postgresql) or set " + PG_BIN_ENV + " to the folder that holds them.");
    }

    private static int majorVersion(File folder) {
        try {
            return Integer.parseInt(folder.getName());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
