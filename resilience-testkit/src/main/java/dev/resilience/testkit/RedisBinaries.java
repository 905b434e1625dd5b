package dev.resilience.testkit;

import java.io.File;
import java.util.List;

/** Finds the Redis programs the ITs that build their own topology run, or fails saying how to install them. */
public final class RedisBinaries {

    private RedisBinaries() {
    }

    /**
     * The path of {@code program} ({@code redis-server}, {@code redis-cli}): {@code RESILIENCE_TEST_REDIS_SERVER}
     * for redis-server when set, else the PATH, else the usual install locations.
     *
     * @param program the program name
     * @param why what the test needs it for, for the error message
     * @return the path to run
     * @throws IllegalStateException naming the missing program and how to install it
     */
    public static String require(String program, String why) {
        String explicit = "redis-server".equals(program) ? System.getenv("RESILIENCE_TEST_REDIS_SERVER") : null;
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                File candidate = new File(entry, program);
                if (candidate.canExecute()) {
                    return candidate.getPath();
                }
            }
        }
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/opt/homebrew/bin")) {
            File candidate = new File(dir, program);
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        throw new IllegalStateException(program + " is not installed (not on the PATH nor in /usr/bin, /usr/local/bin, "
                + "/opt/homebrew/bin): " + why + ". Install it: apt-get install redis-server redis-tools "
                + "(Debian/Ubuntu: redis-cli is in redis-tools), dnf install redis, or brew install redis"
                + ("redis-server".equals(program) ? "; or set RESILIENCE_TEST_REDIS_SERVER to the binary." : "."));
    }
}
