package dev.resilience.backup.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * libpq's connection service file ({@code pg_service.conf}): {@code [name]} sections of
 * {@code key=value} lines. Looked up like libpq: {@code PGSERVICEFILE}, else {@code ~/.pg_service.conf},
 * then {@code $PGSYSCONFDIR/pg_service.conf}; the first file with the section wins.
 */
final class ServiceFile {

    private ServiceFile() {
    }

    /**
     * The settings of service {@code name} ({@code host}, {@code port}, {@code user}, {@code dbname}, ...).
     *
     * @throws IllegalArgumentException when no service file defines it
     */
    static Map<String, String> settings(String name) {
        List<Path> candidates = new java.util.ArrayList<>();
        String explicit = System.getenv("PGSERVICEFILE");
        candidates.add(explicit != null ? Path.of(explicit) : Path.of(System.getProperty("user.home"), ".pg_service.conf"));
        String sysconf = System.getenv("PGSYSCONFDIR");
        if (sysconf != null) {
            candidates.add(Path.of(sysconf, "pg_service.conf"));
        }
        for (Path file : candidates) {
            if (Files.isRegularFile(file)) {
                Map<String, String> found = section(file, name);
                if (found != null) {
                    return found;
                }
            }
        }
        throw new IllegalArgumentException("--service " + name + " (or PGSERVICE) is defined in none of " + candidates);
    }

    private static @Nullable Map<String, String> section(Path file, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service file " + file, e);
        }
        Map<String, String> settings = null;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                if (settings != null) {
                    return settings;
                }
                if (line.substring(1, line.length() - 1).trim().equals(name)) {
                    settings = new HashMap<>();
                }
            } else if (settings != null && line.contains("=")) {
                int eq = line.indexOf('=');
                settings.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return settings;
    }
}
