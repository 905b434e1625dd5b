package dev.resilience.backup.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libpq's password file: {@code PGPASSFILE}, else {@code ~/.pgpass}; lines
 * {@code hostname:port:database:username:password}, {@code *} matching anything, {@code \:} and
 * {@code \\} escaping, the first matching line wins. As in libpq, a file that the group or others may
 * read is ignored (with a warning), and {@code localhost} also matches the default socket folder
 * ({@code /var/run/postgresql} or {@code /tmp}). Never logs a password.
 */
final class PassFile {

    private static final Logger LOG = LoggerFactory.getLogger(PassFile.class);
    private static final Set<String> DEFAULT_SOCKET_DIRECTORIES = Set.of("/var/run/postgresql", "/run/postgresql", "/tmp");

    private PassFile() {
    }

    /** The password file libpq would read. */
    static Path location() {
        String explicit = System.getenv("PGPASSFILE");
        return explicit != null && !explicit.isBlank() ? Path.of(explicit) : Path.of(System.getProperty("user.home"), ".pgpass");
    }

    /** The password of the first line matching, or empty when the file is missing, too open, or has none. */
    static Optional<char[]> lookup(Path file, String host, int port, String database, String user) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.warn("Password file {} has group or world access and is ignored; its mode should be 0600 or less", file);
                return Optional.empty();
            }
        } catch (UnsupportedOperationException | IOException e) {
            // no POSIX modes here: libpq does not check them either
        }
        String hostKey = DEFAULT_SOCKET_DIRECTORIES.contains(host) ? "localhost" : host;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Password file {} cannot be read: {}", file, e.getClass().getSimpleName());
            return Optional.empty();
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(line);
            if (fields.size() == 5 && matches(fields.get(0), hostKey, host) && matches(fields.get(1), Integer.toString(port))
                    && matches(fields.get(2), database) && matches(fields.get(3), user)) {
                return Optional.of(fields.get(4).toCharArray());
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String pattern, String... values) {
        if (pattern.equals("*")) {
            return true;
        }
        for (String value : values) {
            if (pattern.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Splits on unescaped colons into at most five fields; the last one (the password) takes the rest. */
    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
