package dev.resilience.queue;

import dev.resilience.core.internal.Arguments;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The tasks that failed for good, with their attempt history: list them, send them back to the queue
 * ({@link #reprocess}: attempts start again from 1, the history is kept) or delete them
 * ({@link #discard}). Thread-safe; every call is one transaction.
 */
public final class DeadLetterQueue {

    private final TaskQueue queue;

    DeadLetterQueue(TaskQueue queue) {
        this.queue = queue;
    }

    /**
     * Up to {@code limit} dead tasks matching {@code filter}, oldest death first, each with its history.
     *
     * @param filter which dead tasks
     * @param limit  the most to return, 1 to 10000
     * @return the matching tasks, oldest death first; empty when none
     * @throws IllegalArgumentException if {@code limit} is outside 1..10000
     * @throws QueueException when the database cannot be reached
     */
    public List<DeadTask> list(DeadLetterFilter filter, int limit) {
        Objects.requireNonNull(filter, "filter");
        Arguments.between("limit", limit, 1, 10_000);
        try (Connection c = queue.dataSource.getConnection()) {
            List<DeadTask> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(queue.sql.listDead())) {
                setFilter(ps, filter);
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new DeadTask(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getString(4),
                                rs.getInt(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), List.of()));
                    }
                }
            }
            if (rows.isEmpty()) {
                return rows;
            }
            Map<Long, List<AttemptFailure>> histories = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(queue.sql.history())) {
                Array ids = c.createArrayOf("bigint", rows.stream().map(DeadTask::id).toArray());
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        histories.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(failure(rs, 2));
                    }
                }
            }
            List<DeadTask> result = new ArrayList<>(rows.size());
            for (DeadTask row : rows) {
                result.add(new DeadTask(row.id(), row.type(), row.payload(), row.idempotencyKey(), row.attempts(),
                        row.createdAt(), row.deadAt(), List.copyOf(histories.getOrDefault(row.id(), List.of()))));
            }
            return result;
        } catch (SQLException e) {
            throw new QueueException("cannot list dead tasks: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the dead tasks matching {@code filter} ready to run now, with attempts counted from 1 again.
     *
     * @param filter which dead tasks
     * @return how many were sent back
     * @throws QueueException when the database cannot be reached
     */
    public int reprocess(DeadLetterFilter filter) {
        Objects.requireNonNull(filter, "filter");
        try (Connection c = queue.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(queue.sql.reprocessDead())) {
            c.setAutoCommit(true);
            setFilter(ps, filter);
            try (ResultSet rs = ps.executeQuery()) {   // the statement also notifies the workers
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new QueueException("cannot reprocess dead tasks: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the dead tasks matching {@code filter}.
     *
     * @param filter which dead tasks
     * @return how many were deleted
     * @throws QueueException when the database cannot be reached
     */
    public int discard(DeadLetterFilter filter) {
        return update(queue.sql.discardDead(), filter, "discard");
    }

    /**
     * Applies the queue's retention now: dead tasks that died longer ago than
     * {@link TaskQueue.Builder#deadLetterRetention(Duration, DeadLetterRetention)} leave this queue, moved into the
     * {@code dead_archive} table or deleted, per the configured action. Started queues do this by themselves at
     * least every minute; call it from a process that runs no workers.
     *
     * @return how many tasks were archived or deleted
     * @throws QueueException when the database cannot be reached
     */
    public int applyRetention() {
        boolean archive = queue.deadRetentionAction == DeadLetterRetention.ARCHIVE;
        int total = 0;
        try (Connection c = queue.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(archive ? queue.sql.archiveDead() : queue.sql.deleteExpiredDead())) {
            c.setAutoCommit(true);
            ps.setLong(1, queue.deadRetention.toMillis());
            int n;
            do {   // 1,000 per statement, each its own short transaction
                if (archive) {
                    n = ps.executeUpdate();
                } else {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        n = rs.getInt(1);
                    }
                }
                total += n;
            } while (n == 1_000);
            return total;
        } catch (SQLException e) {
            throw new QueueException("cannot apply the dead letter retention (" + total + " done): " + e.getMessage(), e);
        }
    }

    private int update(String statement, DeadLetterFilter filter, String what) {
        Objects.requireNonNull(filter, "filter");
        try (Connection c = queue.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            c.setAutoCommit(true);
            setFilter(ps, filter);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new QueueException("cannot " + what + " dead tasks: " + e.getMessage(), e);
        }
    }

    private static void setFilter(PreparedStatement ps, DeadLetterFilter filter) throws SQLException {
        for (int i : new int[] {1, 2}) {
            if (filter.id() == null) {
                ps.setNull(i, Types.BIGINT);
            } else {
                ps.setLong(i, filter.id());
            }
        }
        ps.setString(3, filter.type());
        ps.setString(4, filter.type());
    }

    /** The history entry in columns {@code from} .. {@code from + 4}, or null when absent. */
    static @Nullable AttemptFailure failure(ResultSet rs, int from) throws SQLException {
        Timestamp at = rs.getTimestamp(from);
        if (at == null) {
            return null;
        }
        return new AttemptFailure(at.toInstant(), rs.getInt(from + 1), rs.getString(from + 2), rs.getString(from + 3),
                rs.getString(from + 4));
    }
}
