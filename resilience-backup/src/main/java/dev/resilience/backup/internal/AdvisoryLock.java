package dev.resilience.backup.internal;

import dev.resilience.backup.BackupException;
import dev.resilience.backup.JobLock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session-level PostgreSQL advisory lock ({@code pg_try_advisory_lock}) on a dedicated connection
 * held for the job's duration: if the instance dies, its connection drops and the lock is released.
 * The key is derived from the database and job name, so different databases never contend.
 */
public final class AdvisoryLock implements JobLock {

    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);
    private final ServerConnection server;

    public AdvisoryLock(ServerConnection server) {
        this.server = server;
    }

    /** The 64-bit lock key of {@code job} on {@code database}. */
    public static long key(String database, String job) {
        byte[] hash = DigestingOutputStream.sha256()
                .digest(("resilience-backup:" + database + ":" + job).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(hash).getLong();
    }

    @Override
    public Optional<Lease> tryAcquire(String job) {
        long key = key(server.database(), job);
        Connection connection = server.open(server.database());
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    connection.close();
                    return Optional.empty();
                }
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new BackupException("cannot take the advisory lock for job " + job + ": " + e.getMessage(), e);
        }
        return Optional.of(() -> {
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                ps.execute();
            } catch (SQLException e) {
                LOG.warn("Could not release the advisory lock of job {} (closing its connection releases it): {}",
                        job, e.getMessage());
            } finally {
                closeQuietly(connection);
            }
        });
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the advisory lock connection failed: {}", e.getMessage());
        }
    }
}
