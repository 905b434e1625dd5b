package dev.resilience.backup;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code pg_dump}, {@code pg_restore} and {@code pg_dumpall} are. {@link #locate()} looks in the
 * {@code PATH}, then in the usual install folders ({@code /usr/lib/postgresql/<newest>/bin},
 * {@code /usr/pgsql-<newest>/bin}, {@code /usr/local/pgsql/bin}, {@code /opt/homebrew/bin},
 * {@code /usr/local/bin}); {@link #in(Path)} uses one folder. A missing tool fails when first used,
 * with a message naming every place searched. Immutable and thread-safe.
 */
public final class PgBinaries {

    private static final Pattern VERSIONED = Pattern.compile("(\\d+)(?:\\.\\d+)?");

    private final List<Path> searched;

    private PgBinaries(List<Path> searched) {
        this.searched = List.copyOf(searched);
    }

    /**
     * Searches {@code PATH}, then the usual PostgreSQL install folders, newest version first.
     *
     * @return the search; nothing is checked until a tool is asked for
     */
    public static PgBinaries locate() {
        Set<Path> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    dirs.add(Path.of(entry));
                }
            }
        }
        dirs.addAll(versionedBins(Path.of("/usr/lib/postgresql"), "", "bin"));
        dirs.addAll(versionedBins(Path.of("/usr"), "pgsql-", "bin"));
        dirs.addAll(versionedBins(Path.of("/opt/homebrew/opt"), "postgresql@", "bin"));
        dirs.add(Path.of("/usr/local/pgsql/bin"));
        dirs.add(Path.of("/opt/homebrew/bin"));
        dirs.add(Path.of("/usr/local/bin"));
        return new PgBinaries(new ArrayList<>(dirs));
    }

    /**
     * The tools in {@code binDirectory} only.
     *
     * @param binDirectory the folder holding pg_dump and pg_restore
     * @return the tools there
     */
    public static PgBinaries in(Path binDirectory) {
        Objects.requireNonNull(binDirectory, "binDirectory");
        return new PgBinaries(List.of(binDirectory.toAbsolutePath()));
    }

    /**
     * The {@code pg_dump} executable. @throws BackupException when none is found
     *
     * @return the executable's path
     */
    public Path pgDump() {
        return find("pg_dump");
    }

    /**
     * The {@code pg_restore} executable, searched in the same folders and order as {@code pg_dump}, so
     * both normally come from the same installation.
     *
     * @return the executable's path
     * @throws BackupException when none is found
     */
    public Path pgRestore() {
        return find("pg_restore");
    }

    /**
     * The {@code pg_dumpall} executable. @throws BackupException when none is found
     *
     * @return the executable's path
     */
    public Path pgDumpall() {
        return find("pg_dumpall");
    }

    /**
     * The folders searched, in order.
     *
     * @return the folders, in search order
     */
    public List<Path> searched() {
        return searched;
    }

    private Path find(String tool) {
        for (Path dir : searched) {
            Path candidate = dir.resolve(tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new BackupException(tool + " not found; searched " + searched
                + ". Install the PostgreSQL client tools (same major version as the server or newer)"
                + " or give their folder with PgBinaries.in(path) / --pg-bin.");
    }

    private static List<Path> versionedBins(Path parent, String prefix, String bin) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return found;
        }
        Map<Path, Integer> majors = new HashMap<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path child : children) {
                String rest = child.getFileName().toString().substring(prefix.length());
                Matcher m = VERSIONED.matcher(rest);
                if (m.matches() && Files.isDirectory(child.resolve(bin))) {
                    found.add(child.resolve(bin));
                    majors.put(child.resolve(bin), major(rest));
                }
            }
        } catch (IOException e) {
            return found;
        }
        found.sort(Comparator.comparingInt((Path p) -> majors.getOrDefault(p, 0)).reversed());
        return found;
    }

    private static int major(String version) {
        Matcher m = VERSIONED.matcher(version);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Override
    public String toString() {
        return "PgBinaries" + searched;
    }
}
