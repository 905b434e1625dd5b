package dev.resilience.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A Redis Cluster of the test's own: {@code n} empty cluster-enabled {@code redis-server} processes on free
 * loopback ports, joined with {@code redis-cli --cluster create} (no replicas) and waited for until every
 * node reports {@code cluster_state:ok}. The test may {@link #startNode() start} more nodes (to add a
 * replica, say) and {@link #kill(int) kill} any of them. Nothing is persisted; a node timeout of 2 s makes
 * failovers quick.
 *
 * <pre>{@code
 * try (RedisClusterProcess cluster = RedisClusterProcess.start(3)) {
 *     RedisClusterClient client = RedisClusterClient.create(cluster.seedUri());
 * }
 * }</pre>
 *
 * <p>Needs {@code redis-server} and {@code redis-cli} on the PATH; fails naming the missing one and how to
 * install it otherwise. Thread-safe.
 */
public final class RedisClusterProcess implements AutoCloseable {

    private final String server;
    private final String cli;
    private final Path dir;
    private final Map<Integer, Process> nodes = new LinkedHashMap<>();
    private final List<Integer> masters;

    private RedisClusterProcess(String server, String cli, Path dir, int masters) {
        this.server = server;
        this.cli = cli;
        this.dir = dir;
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < masters; i++) {
            ports.add(startNode());
        }
        this.masters = List.copyOf(ports);
    }

    /**
     * Starts {@code masters} nodes, creates the cluster and waits (up to 30 s) until it is ready.
     *
     * @param masters how many master nodes, 3 or more
     * @return the running cluster; close it after the test
     * @throws IllegalArgumentException when {@code masters} is below 3 (redis-cli needs three)
     * @throws IllegalStateException when a program is missing or the cluster does not form
     */
    public static RedisClusterProcess start(int masters) {
        if (masters < 3) {
            throw new IllegalArgumentException("masters must be at least 3 (redis-cli --cluster create needs three): " + masters);
        }
        String why = "the test builds a Redis Cluster of its own";
        String server = RedisBinaries.require("redis-server", why);
        String cli = RedisBinaries.require("redis-cli", why);
        RedisClusterProcess cluster;
        try {
            cluster = new RedisClusterProcess(server, cli, Files.createTempDirectory("redis-cluster-test"), masters);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a Redis Cluster for the test", e);
        }
        try {
            cluster.create();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The ports of the masters the cluster was created with.
     *
     * @return the ports, in creation order
     */
    public List<Integer> masterPorts() {
        return masters;
    }

    /**
     * {@code redis://127.0.0.1:<port of the first master>}: a seed URI for a cluster client.
     *
     * @return the seed URI
     */
    public String seedUri() {
        return "redis://127.0.0.1:" + masters.get(0);
    }

    /**
     * Starts one more empty cluster-enabled node (not yet part of the cluster: the test meets and assigns
     * it) and waits until it accepts connections; answers its port.
     *
     * @return the new node port
     */
    public synchronized int startNode() {
        int port = TestServices.freeLoopbackPort();
        Process process;
        try {
            process = new ProcessBuilder(server, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "2000",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + server + ": " + e.getMessage(), e);
        }
        nodes.put(port, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!TestServices.isListening("127.0.0.1", port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster node did not start on port " + port + ": " + read(dir.resolve("redis-" + port + ".log")));
            }
            Thread.onSpinWait();
        }
        return port;
    }

    /**
     * How many keys the node on {@code port} holds ({@code DBSIZE} through redis-cli), e.g. to check keys spread over every master.
     *
     * @param port the node port
     * @return the number of keys
     */
    public long keyCount(int port) {
        return Long.parseLong(run(List.of(cli, "-h", "127.0.0.1", "-p", Integer.toString(port), "dbsize"), 10).trim());
    }

    /**
     * Kills the node on {@code port} with SIGKILL and waits for it to exit; nothing when there is none.
     *
     * @param port the node port
     */
    public synchronized void kill(int port) {
        @Nullable Process process = nodes.remove(port);
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void close() {
        for (int port : List.copyOf(nodes.keySet())) {
            kill(port);
        }
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
        masters.forEach(port -> command.add("127.0.0.1:" + port));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String output = run(command, 30);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int port : masters) {
            while (!run(List.of(cli, "-h", "127.0.0.1", "-p", Integer.toString(port), "cluster", "info"), 10).contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Redis Cluster did not become ready within 30 s: " + output);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Redis Cluster", e);
                }
            }
        }
    }

    private String run(List<String> command, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile(dir, "cli", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            String output = read(out);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
