package dev.resilience.queue.internal;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every SQL statement of the queue, in one place, qualified with the configured schema. The schema
 * name is validated as a plain lower-case identifier, so it is safe to splice into the text.
 *
 * <p>Internal: not part of the public API. Immutable and thread-safe.
 */
public final class Sql {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,47}");

    /** Advisory lock class id for the migrations ("rq" in ASCII); the object id is hashtext(schema). */
    private static final int LOCK_CLASS = 0x7271;

    /** One history entry, timed by the database: parameters error class, message, stack. */
    private static final String FAILURE = "jsonb_build_array(jsonb_build_object('at', now(), 'attempt', attempts,"
            + " 'error', ?::text, 'message', ?::text, 'stack', ?::text))";

    /** The schema's name as given. */
    public final String name;
    /** The schema's name quoted, so that reserved words work too. */
    public final String schema;
    public final String channel;

    public Sql(String name) {
        this.name = checkSchema(name);
        this.schema = '"' + name + '"';
        this.channel = name + "_tasks";
    }

    /** Checks that {@code schema} is a lower-case SQL identifier of at most 48 characters. */
    public static String checkSchema(String schema) {
        Objects.requireNonNull(schema, "schema");
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most"
                    + " 48 characters), was '" + schema + "'");
        }
        return schema;
    }

    // ---- migrations

    public String lockMigrations() {
        return "SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", hashtext('" + name + "'))";
    }

    public String createSchema() {
        return "CREATE SCHEMA IF NOT EXISTS " + schema;
    }

    public String createVersionTable() {
        return "CREATE TABLE IF NOT EXISTS " + schema + ".schema_version ("
                + "version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";
    }

    public String currentVersion() {
        return "SELECT coalesce(max(version), 0) FROM " + schema + ".schema_version";
    }

    public String recordVersion() {
        return "INSERT INTO " + schema + ".schema_version(version) VALUES (?)";
    }

    /** The migrations in order: element {@code i} brings the schema to version {@code i + 1}. */
    public List<List<String>> migrations() {
        String t = schema + ".tasks";
        return List.of(List.of(
                "CREATE TABLE " + t + " ("
                        + "id bigserial PRIMARY KEY,"
                        + " type text NOT NULL,"
                        + " payload bytea NOT NULL,"
                        + " idempotency_key text,"
                        + " priority int NOT NULL DEFAULT 0,"
                        + " run_at timestamptz NOT NULL DEFAULT now(),"
                        + " state text NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'running', 'done', 'dead')),"
                        + " attempts int NOT NULL DEFAULT 0,"
                        + " lease_owner text,"
                        + " lease_until timestamptz,"
                        + " history jsonb NOT NULL DEFAULT '[]',"
                        + " created_at timestamptz NOT NULL DEFAULT now(),"
                        + " finished_at timestamptz)",
                // the claim query walks this index in its ORDER BY and stops after LIMIT rows
                "CREATE INDEX tasks_ready ON " + t + " (priority DESC, run_at, id) WHERE state = 'ready'",
                "CREATE INDEX tasks_lease ON " + t + " (lease_until) WHERE state = 'running'",
                "CREATE INDEX tasks_dead ON " + t + " (type, finished_at) WHERE state = 'dead'",
                "CREATE UNIQUE INDEX tasks_idempotency_key ON " + t + " (type, idempotency_key)"
                        + " WHERE idempotency_key IS NOT NULL"),
                // A queue table's statistics are stale after every burst: with a few rows at the last ANALYZE and
                // thousands now, the planner sorts the whole ready set on every claim. Without sorts, the claim
                // walks tasks_ready in order and stops after LIMIT rows, whatever the statistics say.
                List.of("CREATE FUNCTION " + schema + ".claim(p_types text[], p_limit int, p_owner text, p_lease_ms bigint)"
                        + " RETURNS SETOF " + t + " LANGUAGE sql SET enable_sort = off AS $$ " + claimStatement() + " $$"),
                // dead tasks past their retention leave the tasks table (into dead_archive, or deleted); the dispatcher
                // asks for the earliest run-at time of ready tasks to wake exactly then
                List.of("CREATE TABLE " + schema + ".dead_archive ("
                        + "id bigint PRIMARY KEY,"
                        + " type text NOT NULL,"
                        + " payload bytea NOT NULL,"
                        + " idempotency_key text,"
                        + " priority int NOT NULL,"
                        + " attempts int NOT NULL,"
                        + " history jsonb NOT NULL,"
                        + " created_at timestamptz NOT NULL,"
                        + " dead_at timestamptz NOT NULL,"
                        + " archived_at timestamptz NOT NULL DEFAULT now())",
                        "CREATE INDEX tasks_dead_at ON " + t + " (finished_at) WHERE state = 'dead'",
                        "CREATE INDEX tasks_ready_run_at ON " + t + " (run_at) WHERE state = 'ready'"));
    }

    // ---- enqueue

    /** One round trip: insert unless the key exists, and notify the listeners in the same transaction. */
    public String enqueue() {
        return "WITH ins AS (INSERT INTO " + schema + ".tasks (type, payload, idempotency_key, priority, run_at)"
                + " VALUES (?, ?, ?, ?, coalesce(?, now()))"
                + " ON CONFLICT (type, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id)"
                + " SELECT id, pg_notify('" + channel + "', '')::text FROM ins";
    }

    public String findByKey() {
        return "SELECT id FROM " + schema + ".tasks WHERE type = ? AND idempotency_key = ?";
    }

    public String listen() {
        return "LISTEN \"" + channel + '"';
    }

    // ---- workers

    /**
     * The statement inside the {@code claim} function: locks up to {@code p_limit} ready tasks of the given types
     * with SKIP LOCKED, so concurrent claimers never wait for or take each other's rows, and leases them to
     * {@code p_owner} in the same statement.
     */
    public String claimStatement() {
        return "WITH next AS (SELECT id FROM " + schema + ".tasks"
                + " WHERE state = 'ready' AND run_at <= now() AND type = ANY(p_types)"
                + " ORDER BY priority DESC, run_at, id LIMIT p_limit FOR UPDATE SKIP LOCKED)"
                + " UPDATE " + schema + ".tasks t SET state = 'running', attempts = t.attempts + 1,"
                + " lease_owner = p_owner, lease_until = now() + p_lease_ms * interval '1 millisecond'"
                + " FROM next WHERE t.id = next.id RETURNING t.*";
    }

    /** Claims through the function (parameters: types, limit, owner, lease in ms). */
    public String claim() {
        return "SELECT c.id, c.type, c.payload, c.idempotency_key, c.attempts, c.created_at, "
                + HISTORY_COLUMNS.replace("e ->", "c.history -> -1 ->") + " FROM " + schema + ".claim(?, ?, ?, ?) c";
    }

    /** Extends the leases of the owner's tasks that are still running in time. */
    public String heartbeat() {
        return "UPDATE " + schema + ".tasks SET lease_until = now() + ? * interval '1 millisecond'"
                + " WHERE id = ANY(?) AND state = 'running' AND lease_owner = ?";
    }

    /** Makes the tasks of expired leases ready again, recording the lost attempt. */
    public String expireLeases() {
        return "UPDATE " + schema + ".tasks SET state = 'ready', run_at = now(), lease_owner = NULL, lease_until = NULL,"
                + " history = history || jsonb_build_array(jsonb_build_object('at', now(), 'attempt', attempts,"
                + " 'error', 'lease expired', 'message', 'lease of ' || lease_owner || ' expired at ' || lease_until))"
                + " WHERE state = 'running' AND lease_until < now()";
    }

    /**
     * Success of a batch (parameters: ids, attempts, as arrays of the same length): a task without key is deleted;
     * a task with a key is kept as done, so that a duplicate enqueue stays a no-op. Fenced by the attempt number:
     * an attempt whose lease was lost changes nothing. Returns the ids recorded.
     */
    public String complete() {
        return "WITH d AS (SELECT * FROM unnest(?::bigint[], ?::int[]) AS d(id, attempt)),"
                + " gone AS (DELETE FROM " + schema + ".tasks t USING d WHERE t.id = d.id AND t.attempts = d.attempt"
                + " AND t.state = 'running' AND t.idempotency_key IS NULL RETURNING t.id),"
                + " kept AS (UPDATE " + schema + ".tasks t SET state = 'done', finished_at = now(), lease_owner = NULL,"
                + " lease_until = NULL FROM d WHERE t.id = d.id AND t.attempts = d.attempt AND t.state = 'running'"
                + " AND t.idempotency_key IS NOT NULL RETURNING t.id) SELECT id FROM gone UNION ALL SELECT id FROM kept";
    }

    /**
     * Failure to retry: ready again after a delay, with the attempt appended to the history. The NOTIFY lets every
     * instance's dispatcher plan its wake for the new run-at time.
     */
    public String retry() {
        return "WITH r AS (UPDATE " + schema + ".tasks SET state = 'ready', run_at = now() + ? * interval '1 millisecond',"
                + " lease_owner = NULL, lease_until = NULL, history = history || " + FAILURE
                + " WHERE id = ? AND attempts = ? AND state = 'running' RETURNING id)"
                + " SELECT id, pg_notify('" + channel + "', '')::text FROM r";
    }

    /** Failure not to retry: into the dead letter queue, with the attempt appended to the history. */
    public String bury() {
        return "UPDATE " + schema + ".tasks SET state = 'dead', finished_at = now(), lease_owner = NULL,"
                + " lease_until = NULL, history = history || " + FAILURE
                + " WHERE id = ? AND attempts = ? AND state = 'running'";
    }

    /**
     * Gives back claimed tasks that were never started (shutdown; parameters: ids, attempts as arrays): their
     * attempt does not count.
     */
    public String release() {
        return "UPDATE " + schema + ".tasks t SET state = 'ready', attempts = t.attempts - 1, lease_owner = NULL,"
                + " lease_until = NULL FROM unnest(?::bigint[], ?::int[]) AS d(id, attempt)"
                + " WHERE t.id = d.id AND t.attempts = d.attempt AND t.state = 'running'";
    }

    /**
     * Milliseconds from now (the database's clock) until the earliest ready task of the given types is due, or
     * null when none is ready (parameter: types).
     */
    public String nextDue() {
        return "SELECT ceil(extract(epoch FROM min(run_at) - now()) * 1000)::bigint FROM " + schema + ".tasks"
                + " WHERE state = 'ready' AND type = ANY(?)";
    }

    // ---- dead letter queue

    /** The columns of one history entry {@code e}: at, attempt, error, message, stack. */
    private static final String HISTORY_COLUMNS = "(e ->> 'at')::timestamptz, (e ->> 'attempt')::int, e ->> 'error',"
            + " e ->> 'message', e ->> 'stack'";

    /** Parameters: id twice, type twice; null matches any. */
    private static final String DEAD_FILTER = "(?::bigint IS NULL OR id = ?) AND (?::text IS NULL OR type = ?)";

    public String history() {
        return "SELECT t.id, " + HISTORY_COLUMNS + " FROM " + schema + ".tasks t,"
                + " jsonb_array_elements(t.history) WITH ORDINALITY AS h(e, n) WHERE t.id = ANY(?) ORDER BY t.id, h.n";
    }

    public String listDead() {
        return "SELECT id, type, payload, idempotency_key, attempts, created_at, finished_at FROM "
                + schema + ".tasks WHERE state = 'dead' AND " + DEAD_FILTER + " ORDER BY finished_at, id LIMIT ?";
    }

    public String reprocessDead() {
        return "WITH r AS (UPDATE " + schema + ".tasks SET state = 'ready', run_at = now(), attempts = 0,"
                + " finished_at = NULL WHERE state = 'dead' AND " + DEAD_FILTER + " RETURNING id)"
                + " SELECT count(*), pg_notify('" + channel + "', '')::text FROM r";
    }

    public String discardDead() {
        return "DELETE FROM " + schema + ".tasks"
                + " WHERE state = 'dead' AND " + DEAD_FILTER;
    }

    /** The dead tasks past their retention, oldest first, at most 1,000 per statement (parameter: retention in ms). */
    private String expiredDead() {
        return "WITH old AS (SELECT id FROM " + schema + ".tasks WHERE state = 'dead'"
                + " AND finished_at < now() - ? * interval '1 millisecond' ORDER BY finished_at LIMIT 1000"
                + " FOR UPDATE SKIP LOCKED),"
                + " moved AS (DELETE FROM " + schema + ".tasks t USING old WHERE t.id = old.id RETURNING t.*)";
    }

    /** Moves dead tasks past their retention into {@code dead_archive}; the update count is how many. */
    public String archiveDead() {
        return expiredDead() + " INSERT INTO " + schema + ".dead_archive"
                + " (id, type, payload, idempotency_key, priority, attempts, history, created_at, dead_at)"
                + " SELECT id, type, payload, idempotency_key, priority, attempts, history, created_at, finished_at FROM moved";
    }

    /** Deletes dead tasks past their retention; the result is how many. */
    public String deleteExpiredDead() {
        return expiredDead() + " SELECT count(*) FROM moved";
    }

    public String purgeDone() {
        return "DELETE FROM " + schema + ".tasks WHERE state = 'done' AND finished_at < now() - ? * interval '1 millisecond'";
    }

    // ---- observability

    /** Per type: ready tasks, running tasks, dead tasks, age in ms of the oldest task ready to run now. */
    public String stats() {
        return "SELECT type, count(*) FILTER (WHERE state = 'ready' AND run_at <= now()),"
                + " count(*) FILTER (WHERE state = 'running'), count(*) FILTER (WHERE state = 'dead'),"
                + " coalesce(extract(epoch FROM now() - min(run_at) FILTER (WHERE state = 'ready' AND run_at <= now()))"
                + " * 1000, 0)::bigint FROM " + schema + ".tasks WHERE state <> 'done' GROUP BY type";
    }
}
