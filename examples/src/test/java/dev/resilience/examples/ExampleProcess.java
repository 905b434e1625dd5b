package dev.resilience.examples;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example's runnable jar ({@code target/resilience-example.jar}, built in the package phase) run
 * as a real child process with {@code java -jar}, its output in a log file. Closing it kills the
 * process if it still runs, so a failing test leaves nothing behind; every wait is bounded. Public for
 * the chaos run ({@code chaos.ChaosScenario}).
 */
public final class ExampleProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "resilience-example.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+) ");

    private final Process process;
    private final Path log;

    private ExampleProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -jar} with {@code env} added to this JVM's environment (minus the service's variables). */
    public static ExampleProcess start(Path workDir, Map<String, String> env, String... jvmOptions) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first (mvn verify does)");
        }
        Files.createDirectories(workDir);
        Path log = workDir.resolve("service-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        for (String name : List.of("DATABASE_URL", "PGHOST", "REDIS_URI", "ADMIN_TOKEN", "PORT", "BACKUP_SCHEDULE", "PG_BIN")) {
            environment.remove(name);
        }
        environment.put("PORT", "0");
        environment.putAll(env);
        return new ExampleProcess(builder.start(), log);
    }

    /** Waits for the start line and returns the URL the service answers on. */
    public String awaitListening() {
        await("the service to start (log: " + log + ")").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> LISTENING.matcher(output()).find() || !process.isAlive());
        Matcher m = LISTENING.matcher(output());
        if (!m.find()) {
            throw new AssertionError("the service did not start, exit status " + process.exitValue() + ":\n" + output());
        }
        return m.group(1);
    }

    /** Waits until the log contains {@code text}. */
    public void awaitLog(String text) {
        await("'" + text + "' in " + log).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> output().contains(text) || !process.isAlive());
        if (!output().contains(text)) {
            throw new AssertionError("no '" + text + "' in the log before exit:\n" + output());
        }
    }

    /** Sends SIGTERM, as {@code kill <pid>}, {@code docker stop} and Kubernetes do. */
    public void sigterm() {
        process.destroy();
    }

    /** Sends SIGKILL, as {@code kill -9 <pid>}: nothing in the process runs any more. */
    public void sigkill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends SIGINT, as Ctrl-C does. */
    public void sigint() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits for the process to end and returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Everything the process wrote so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
