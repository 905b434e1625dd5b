package dev.resilience.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link PostgresBackup#restore(String, String, RestoreOptions)} restores: whether an existing
 * target is replaced (and the replaced copy dropped), whether ownership and privileges are restored,
 * and which tables or schemas (all by default). Tables and schemas go to {@code pg_restore} as
 * {@code --table=} and {@code --schema=}: like {@code pg_restore -t}, a table name is not
 * schema-qualified (combine with a schema to pick one), and only the table's definition and data are
 * restored, not its indexes, constraints or triggers. A selected schema that pg_restore would not create
 * itself is created first, owned by the restoring user. Immutable and thread-safe; each {@code with}
 * method returns a copy.
 */
public final class RestoreOptions {

    /** Restore everything into a new database, with owners and privileges; never replace. */
    public static final RestoreOptions DEFAULTS = new RestoreOptions(false, false, false, false, List.of(), List.of());

    private final boolean replaceExisting;
    private final boolean dropReplaced;
    private final boolean noOwner;
    private final boolean noAcl;
    private final List<String> tables;
    private final List<String> schemas;

    private RestoreOptions(boolean replaceExisting, boolean dropReplaced, boolean noOwner, boolean noAcl,
                           List<String> tables, List<String> schemas) {
        this.replaceExisting = replaceExisting;
        this.dropReplaced = dropReplaced;
        this.noOwner = noOwner;
        this.noAcl = noAcl;
        this.tables = List.copyOf(tables);
        this.schemas = List.copyOf(schemas);
    }

    /**
     * Replace an existing target (it is kept as {@code <target>_replaced_<time>}); default false.
     *
     * @param replace true to replace
     * @return this options, for chaining
     */
    public RestoreOptions replaceExisting(boolean replace) {
        return new RestoreOptions(replace, dropReplaced, noOwner, noAcl, tables, schemas);
    }

    /**
     * With {@link #replaceExisting(boolean)}: drop the replaced database after the swap; default false.
     *
     * @param drop true to drop
     * @return this options, for chaining
     */
    public RestoreOptions dropReplaced(boolean drop) {
        return new RestoreOptions(replaceExisting, drop, noOwner, noAcl, tables, schemas);
    }

    /**
     * Do not restore ownership ({@code --no-owner}): objects belong to the restoring user; default false.
     *
     * @param skip true to skip ownership
     * @return this options, for chaining
     */
    public RestoreOptions noOwner(boolean skip) {
        return new RestoreOptions(replaceExisting, dropReplaced, skip, noAcl, tables, schemas);
    }

    /**
     * Do not restore privileges ({@code --no-acl}, GRANT/REVOKE); default false.
     *
     * @param skip true to skip privileges
     * @return this options, for chaining
     */
    public RestoreOptions noAcl(boolean skip) {
        return new RestoreOptions(replaceExisting, dropReplaced, noOwner, skip, tables, schemas);
    }

    /**
     * Restore only these tables (and any other tables or schemas named). @throws IllegalArgumentException
     * when a name is null or blank
     *
     * @param names table names, optionally schema-qualified
     * @return this options, for chaining
     */
    public RestoreOptions tables(List<String> names) {
        return new RestoreOptions(replaceExisting, dropReplaced, noOwner, noAcl, checked("tables", names), schemas);
    }

    /**
     * Restore only these schemas. @throws IllegalArgumentException when a name is null or blank
     *
     * @param names schema names
     * @return this options, for chaining
     */
    public RestoreOptions schemas(List<String> names) {
        return new RestoreOptions(replaceExisting, dropReplaced, noOwner, noAcl, tables, checked("schemas", names));
    }

    /**
     * Whether an existing target is replaced.
     *
     * @return true to replace (default false)
     */
    public boolean replaceExisting() {
        return replaceExisting;
    }

    /**
     * Whether the replaced database is dropped after the swap.
     *
     * @return true to drop (default false)
     */
    public boolean dropReplaced() {
        return dropReplaced;
    }

    /**
     * Whether ownership is skipped ({@code --no-owner}).
     *
     * @return true to skip (default false)
     */
    public boolean noOwner() {
        return noOwner;
    }

    /**
     * Whether privileges are skipped ({@code --no-acl}).
     *
     * @return true to skip (default false)
     */
    public boolean noAcl() {
        return noAcl;
    }

    /**
     * The tables to restore.
     *
     * @return the names; empty restores everything
     */
    public List<String> tables() {
        return tables;
    }

    /**
     * The schemas to restore.
     *
     * @return the names; empty restores everything
     */
    public List<String> schemas() {
        return schemas;
    }

    /** The pg_restore arguments these options add. */
    List<String> pgRestoreArguments() {
        List<String> args = new ArrayList<>();
        if (noOwner) {
            args.add("--no-owner");
        }
        if (noAcl) {
            args.add("--no-acl");
        }
        schemas.forEach(s -> args.add("--schema=" + s));
        tables.forEach(t -> args.add("--table=" + t));
        return args;
    }

    private static List<String> checked(String parameter, List<String> names) {
        if (names == null) {
            throw new IllegalArgumentException(parameter + " must not be null");
        }
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(parameter + " must not hold a null or blank name: " + names);
            }
        }
        return List.copyOf(names);
    }

    @Override
    public String toString() {
        return "RestoreOptions[replaceExisting=" + replaceExisting + ", dropReplaced=" + dropReplaced + ", noOwner=" + noOwner
                + ", noAcl=" + noAcl + ", tables=" + tables + ", schemas=" + schemas + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestoreOptions r && replaceExisting == r.replaceExisting && dropReplaced == r.dropReplaced
                && noOwner == r.noOwner && noAcl == r.noAcl && tables.equals(r.tables) && schemas.equals(r.schemas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(replaceExisting, dropReplaced, noOwner, noAcl, tables, schemas);
    }
}
