package dev.resilience.backup;

import dev.resilience.backup.internal.ServerConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Restores a dump into a database that nobody sees until it is complete: pg_restore fills a fresh
 * database {@code resilience_restore_<n>}, which is renamed to the target only when the restore
 * succeeded. An existing target (replaced only when asked) is first renamed to
 * {@code <target>_replaced_<yyyyMMddHHmmss>} and kept, unless the caller asks to drop it after the swap. A failed
 * restore drops the fresh database and leaves the target as it was. Also runs restore drills.
 * Thread-safe.
 */
final class Restorer {

    private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);
    private static final String DRILL_PREFIX = "resilience_backup_drill_";
    private static final String RESTORE_PREFIX = "resilience_restore_";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final int MAX_IDENTIFIER_BYTES = 63;

    private final ServerConnection server;
    private final String maintenanceDatabase;
    private final Verifier verifier;
    private final dev.resilience.core.Clock clock;

    Restorer(ServerConnection server, String maintenanceDatabase, Verifier verifier, dev.resilience.core.Clock clock) {
        this.server = server;
        this.maintenanceDatabase = maintenanceDatabase;
        this.verifier = verifier;
        this.clock = clock;
    }

    /**
     * Restores {@code manifest} into {@code target}; the backup must have been checked intact already.
     *
     * @return the name the replaced database is kept under; null when there was none or it was dropped
     */
    @Nullable String restore(BackupManifest manifest, String target, RestoreOptions options) {
        boolean replaceExisting = options.replaceExisting();
        if (!replaceExisting && exists(target)) {
            throw existsError(target);
        }
        String fresh = RESTORE_PREFIX + clock.now().toEpochMilli() + "_" + ThreadLocalRandom.current().nextInt(1_000_000);
        execute("CREATE DATABASE " + quote(fresh), "cannot create the database " + fresh + " to restore into");
        try {
            createSchemas(fresh, options.schemas());
            verifier.restoreInto(manifest, fresh, options);
        } catch (BackupException e) {
            dropQuietly(fresh);
            throw new BackupException(e.getMessage() + " (" + target + " is untouched; the partly restored database "
                    + fresh + " was dropped)", e);
        }
        String replaced = swap(fresh, target, replaceExisting);
        if (replaced != null && options.dropReplaced()) {
            dropQuietly(replaced);
            return null;
        }
        return replaced;
    }

    /**
     * pg_restore {@code --schema} restores the objects of a schema but not the schema itself: create it
     * first (owned by the restoring user), so a schema-selective restore works.
     */
    private void createSchemas(String database, java.util.List<String> schemas) {
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection c = server.open(database); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
            }
        } catch (SQLException e) {
            throw new BackupException("cannot create the schemas " + schemas + " to restore into: " + e.getMessage(), e);
        }
    }

    /** Renames {@code fresh} to {@code target}, moving an existing target aside first; undoes itself on failure. */
    private @Nullable String swap(String fresh, String target, boolean replaceExisting) {
        try (Connection c = server.open(maintenanceDatabase); Statement s = c.createStatement()) {
            String replaced = null;
            if (exists(c, target)) {
                if (!replaceExisting) {
                    throw existsError(target);
                }
                replaced = replacedName(c, target);
                renameClosingSessions(c, target, replaced);
                LOG.warn("Database {} was replaced by a restore; the previous one is kept as {}", target, replaced);
            }
            try {
                s.execute("ALTER DATABASE " + quote(fresh) + " RENAME TO " + quote(target));
            } catch (SQLException e) {
                if (replaced != null) {
                    s.execute("ALTER DATABASE " + quote(replaced) + " RENAME TO " + quote(target));
                }
                throw e;
            }
            return replaced;
        } catch (SQLException | BackupException e) {
            dropQuietly(fresh);
            throw new BackupException("cannot rename the restored database to " + target + ": " + e.getMessage()
                    + " (" + target + " is as it was; the restored copy " + fresh + " was dropped)", e);
        }
    }

    /** Closes other sessions on {@code from} and renames it; a session that reconnects at once gets two more tries. */
    private static void renameClosingSessions(Connection c, String from, String to) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement kill = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity"
                    + " WHERE datname = ? AND pid <> pg_backend_pid()"); Statement s = c.createStatement()) {
                kill.setString(1, from);
                kill.execute();
                s.execute("ALTER DATABASE " + quote(from) + " RENAME TO " + quote(to));
                return;
            } catch (SQLException e) {
                if (attempt == 3 || !"55006".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** {@code <target>_replaced_<yyyyMMddHHmmss>[_n]}, the target cut short when the name would pass 63 bytes. */
    private String replacedName(Connection c, String target) throws SQLException {
        String suffix = "_replaced_" + STAMP.format(clock.now());
        String name = truncate(target, MAX_IDENTIFIER_BYTES - suffix.length()) + suffix;
        for (int n = 2; exists(c, name); n++) {
            String numbered = suffix + "_" + n;
            name = truncate(target, MAX_IDENTIFIER_BYTES - numbered.length()) + numbered;
        }
        return name;
    }

    /**
     * Restores into a scratch database, checks it holds user tables and that each of {@code tablesWithRows}
     * has rows, and drops it. Every failure here is a plain BackupException: it proves nothing against
     * the archive (the caller checked it intact before).
     */
    DrillResult drill(BackupManifest manifest, Collection<String> tablesWithRows) {
        String scratch = DRILL_PREFIX + clock.now().toEpochMilli() + "_" + ThreadLocalRandom.current().nextInt(1000);
        String id = manifest.id();
        try {
            execute("CREATE DATABASE " + quote(scratch), "cannot create the drill database " + scratch);
            long r0 = clock.nanoTime();
            verifier.restoreInto(manifest, scratch, RestoreOptions.DEFAULTS);
            java.time.Duration restoreTime = java.time.Duration.ofNanos(clock.nanoTime() - r0);
            Map<String, Long> counts = new LinkedHashMap<>();
            int tables;
            try (Connection c = server.open(scratch); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_catalog.pg_tables "
                        + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
                    rs.next();
                    tables = rs.getInt(1);
                }
                if (tables == 0) {
                    throw new BackupException("restore drill of backup " + id + ": the restored database holds no tables");
                }
                for (String table : tablesWithRows) {
                    long rows;
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quoteQualified(table))) {
                        rs.next();
                        rows = rs.getLong(1);
                    } catch (SQLException e) {
                        throw new BackupException("restore drill of backup " + id + ": table " + table
                                + " cannot be counted: " + e.getMessage(), e);
                    }
                    if (rows == 0) {
                        throw new BackupException("restore drill of backup " + id + ": table " + table + " is empty");
                    }
                    counts.put(table, rows);
                }
            } catch (SQLException e) {
                throw new BackupException("restore drill of backup " + id + ": sanity queries failed: " + e.getMessage(), e);
            }
            return new DrillResult(manifest, restoreTime, tables, counts);
        } finally {
            dropQuietly(scratch);
        }
    }

    private boolean exists(String database) {
        try (Connection c = server.open(maintenanceDatabase)) {
            return exists(c, database);
        } catch (SQLException e) {
            throw new BackupException("cannot look up database " + database + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static BackupException existsError(String target) {
        return new BackupException("target database " + target + " exists; restore replaces it only when told"
                + " explicitly (replaceExisting / --replace)");
    }

    private void execute(String sql, String failure) {
        try (Connection c = server.open(maintenanceDatabase); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new BackupException(failure + ": " + e.getMessage(), e);
        }
    }

    /** Drops a database this library created (a scratch, a restore copy, a replaced copy on request). */
    void dropQuietly(String database) {
        try (Connection c = server.open(maintenanceDatabase); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
        } catch (SQLException | RuntimeException e) {
            LOG.error("Could not drop database {}: {}", database, e.getMessage());
        }
    }

    private static String truncate(String name, int maxBytes) {
        String out = name;
        while (out.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String quoteQualified(String table) {
        return Arrays.stream(table.split("\\.", 2)).map(Restorer::quote).reduce((a, b) -> a + "." + b).orElseThrow();
    }
}
