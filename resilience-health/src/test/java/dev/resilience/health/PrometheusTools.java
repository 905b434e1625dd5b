package dev.resilience.health;

import static org.assertj.core.api.Assertions.fail;

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
 * Prometheus's own binaries for the ITs: {@code promtool} and {@code prometheus} from Debian's
 * {@code prometheus} package (2.42), found on the PATH. A missing binary fails the test and says how
 * to install it; it never skips.
 */
final class PrometheusTools {

    private PrometheusTools() {
    }

    /** The binary {@code name} on the PATH, or a failed test naming the package to install. */
    static Path binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(name + " is not on the PATH; install Debian's prometheus package "
                + "(apt-get install -y prometheus, as .ci/run does) or put Prometheus 2.x's " + name + " on the PATH");
    }

    /** Writes the classpath resource {@code resource} into {@code dir} under its file name. */
    static Path copyResource(String resource, Path dir) {
        try (InputStream in = PrometheusTools.class.getResourceAsStream(resource)) {
            if (in == null) {
                return fail("classpath resource " + resource + " is missing");
            }
            Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            Files.write(target, in.readAllBytes());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Exit code and merged output of a command that must end within 60 s (else it is killed). */
    record Result(int exitCode, String output) {
    }

    static Result run(Path workDir, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            // the outputs are a few KB: the pipe cannot fill up before the process ends
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return fail(command + " did not end within 60 s");
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
