package dev.resilience.queue.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the queue's schema to the newest version in one transaction, under a transaction-scoped
 * advisory lock: instances starting together wait for the first, then find nothing left to do.
 *
 * <p>Internal: not part of the public API. Stateless and thread-safe.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /**
     * Applies the missing migrations and returns the version the schema is at.
     *
     * @throws SQLException when the database refuses; nothing is applied then
     * @throws IllegalStateException when the schema is newer than this library knows
     */
    public static int migrate(Connection connection, Sql sql) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute(sql.lockMigrations());
            s.execute(sql.createSchema());
            s.execute(sql.createVersionTable());
            int current;
            try (ResultSet rs = s.executeQuery(sql.currentVersion())) {
                rs.next();
                current = rs.getInt(1);
            }
            List<List<String>> migrations = sql.migrations();
            if (current > migrations.size()) {
                throw new IllegalStateException("schema " + sql.name + " is at version " + current
                        + ", newer than this library's " + migrations.size() + ": upgrade resilience-queue");
            }
            for (int version = current + 1; version <= migrations.size(); version++) {
                for (String statement : migrations.get(version - 1)) {
                    s.execute(statement);
                }
                try (PreparedStatement record = connection.prepareStatement(sql.recordVersion())) {
                    record.setInt(1, version);
                    record.executeUpdate();
                }
                LOG.info("queue schema {} migrated to version {}", sql.name, version);
            }
            connection.commit();
            return migrations.size();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
