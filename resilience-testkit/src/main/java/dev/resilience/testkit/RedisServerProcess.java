package dev.resilience.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@code redis-server} process of the test's own, on a free loopback port, that the test can
 * {@link #kill()} and {@link #restart()} to see how a client behaves when Redis really dies.
 * Nothing is persisted.
 *
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.start()) {
 *     RedisClient client = RedisClient.create(redis.uri());
 *     redis.kill();      // SIGKILL: connections drop, nothing answers
 *     redis.restart();   // same port, empty data set
 * }
 * }</pre>
 *
 * <p>{@link #start(List)} adds configuration lines ({@code requirepass}, ACL users, TLS) through a
 * configuration file, so passwords stay out of the process list.
 *
 * <p>Needs {@code redis-server} on the PATH (or {@code RESILIENCE_TEST_REDIS_SERVER} naming the binary);
 * fails with a message that says so otherwise. Thread-safe.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final String binary;
    private final int port;
    private final Path dir;
    /** The extra configuration file, or null for a plain server. */
    private final @Nullable Path config;
    /** Null while the server is not running (before the first start and after {@link #kill()}). */
    private @Nullable Process process;

    private RedisServerProcess(String binary, int port, Path dir, @Nullable Path config) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
        this.config = config;
    }

    /**
     * Starts a server on a free port and waits until it accepts connections.
     *
     * @return the running server; close it after the test
     * @throws IllegalStateException when {@code redis-server} is missing or does not come up
     */
    public static RedisServerProcess start() {
        return start(List.of());
    }

    /**
     * Starts a server on a free port with {@code configLines} added to its configuration, one
     * {@code redis.conf} directive each, e.g. {@code "requirepass s3cret"},
     * {@code "user limiter on >pw ~rl:* -@all +evalsha"} or {@code "tls-port 6390"}. The lines go into a
     * configuration file readable by the owner only, never onto the command line, so a password in them
     * is not in the process list. They hold across {@link #restart()}; the plain port ({@link #port()})
     * stays open, so a line {@code "port 0"} would break the start-up wait.
     *
     * @param configLines the extra directives
     * @return the running server; close it after the test
     * @throws IllegalArgumentException when a line is blank or holds a line break
     * @throws IllegalStateException when {@code redis-server} is missing or does not come up
     */
    public static RedisServerProcess start(List<String> configLines) {
        for (int i = 0; i < configLines.size(); i++) {
            String line = configLines.get(i);
            if (line == null || line.isBlank() || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                // not quoted: a line may hold a password
                throw new IllegalArgumentException("configLines must be non-blank single lines; line " + i + " is not");
            }
        }
        String binary = RedisBinaries.require("redis-server", "this test starts and kills its own Redis");
        try {
            Path dir = Files.createTempDirectory("redis-test");
            Path config = null;
            if (!configLines.isEmpty()) {
                config = dir.resolve("redis.conf");
                Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(config, configLines);
            }
            RedisServerProcess redis = new RedisServerProcess(binary, TestServices.freeLoopbackPort(), dir, config);
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a redis-server for the test", e);
        }
    }

    /**
     * The port the server listens on (kept across {@link #restart()}).
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * {@code redis://127.0.0.1:<port>}.
     *
     * @return the URI, without a password
     */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * True while the process is alive.
     *
     * @return true while running
     */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the process with SIGKILL and waits for it to exit. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the server again on the same port (after {@link #kill()}), with an empty data set. */
    public synchronized void restart() {
        kill();
        launch();
    }

    @Override
    public void close() {
        kill();
    }

    private synchronized void launch() {
        List<String> command = new ArrayList<>(List.of(binary));
        if (config != null) {
            command.add(config.toString()); // the file must come first; the options below override it
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no"));
        Process started;
        try {
            started = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!TestServices.isListening("127.0.0.1", port)) {
            if (!started.isAlive() || System.nanoTime() > deadline) {
                String log = readLog();
                started.destroyForcibly();
                throw new IllegalStateException("redis-server did not start on port " + port + ": " + log);
            }
            Thread.onSpinWait();
        }
        process = started;
    }

    private String readLog() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
