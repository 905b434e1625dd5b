package dev.resilience.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own binaries for tests: {@code promtool} (to check and unit-test alert rules, or parse
 * PromQL) and {@code prometheus}, found on the PATH (Debian's {@code prometheus} package, 2.42, is
 * what this project tests with). A missing binary fails the test with an {@link IllegalStateException}
 * that says how to install it; it never skips.
 *
 * <pre>{@code
 * PrometheusTools.Result check = PrometheusTools.run(dir,
 *         List.of(PrometheusTools.binary("promtool").toString(), "check", "rules", "alerts.yml"));
 * assertThat(check.exitCode()).as(check.output()).isZero();
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PrometheusTools {

    private PrometheusTools() {
    }

    /**
     * The binary {@code name} on the PATH.
     *
     * @param name the program name, e.g. promtool
     * @return its absolute path
     * @throws IllegalStateException when it is not there, naming the package to install
     */
    public static Path binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " is not on the PATH; install Debian's prometheus package "
                + "(apt-get install -y prometheus, as .ci/run does) or put Prometheus 2.x's " + name + " on the PATH");
    }

    /**
     * Writes the classpath resource {@code resource} into {@code dir} under its file name.
     *
     * @param resource the resource path, e.g. /alerts.yml
     * @param dir the folder to write into
     * @return the written file
     * @throws IllegalStateException when the resource is missing
     */
    public static Path copyResource(String resource, Path dir) {
        try (InputStream in = PrometheusTools.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + resource + " is missing");
            }
            Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            Files.write(target, in.readAllBytes());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a command left.
     *
     * @param exitCode its exit code
     * @param output its standard output and error, merged
     */
    public record Result(int exitCode, String output) {
    }

    /**
     * Runs {@code command} in {@code workDir}; it must end within 60 s, else it is killed.
     *
     * @param workDir the working directory
     * @param command the program and its arguments
     * @return its exit code and combined output
     * @throws IllegalStateException when it does not end in time
     */
    public static Result run(Path workDir, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            // the outputs are a few KB: the pipe cannot fill up before the process ends
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(command + " did not end within 60 s");
            }
            return new Result(process.exitValue(),
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
