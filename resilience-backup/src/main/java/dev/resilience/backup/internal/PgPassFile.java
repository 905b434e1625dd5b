package dev.resilience.backup.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A temporary {@code PGPASSFILE} (mode 0600) holding one {@code *:*:*:user:password} line, so the
 * password reaches pg_dump without touching its command line or environment. Deleted on close.
 */
public final class PgPassFile implements AutoCloseable {

    private final Path path;

    private PgPassFile(Path path) {
        this.path = path;
    }

    /**
     * Writes the file into the private {@code work} folder (so a killed JVM's file is removed by the next
     * start); {@code password} is escaped for the pgpass format and not kept.
     */
    public static PgPassFile create(WorkFolder work, String user, char[] password) throws IOException {
        Path path = work.newFile("resilience-backup-", ".pgpass");
        char[] escaped = escape(password);
        try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            out.write("*:*:*:");
            out.write(new String(escape(user.toCharArray())));
            out.write(':');
            out.write(escaped);
            out.write('\n');
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        } finally {
            Arrays.fill(escaped, '\0');
        }
        return new PgPassFile(path);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }

    private static char[] escape(char[] value) {
        StringBuilder out = new StringBuilder(value.length + 4);
        for (char c : value) {
            if (c == '\\' || c == ':') {
                out.append('\\');
            }
            out.append(c);
        }
        char[] result = new char[out.length()];
        out.getChars(0, out.length(), result, 0);
        out.setLength(0);
        return result;
    }
}
