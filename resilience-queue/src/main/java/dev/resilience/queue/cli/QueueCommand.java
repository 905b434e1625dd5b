package dev.resilience.queue.cli;

import dev.resilience.queue.AttemptFailure;
import dev.resilience.queue.DeadLetterFilter;
import dev.resilience.queue.DeadLetterQueue;
import dev.resilience.queue.DeadTask;
import dev.resilience.queue.QueueStats;
import dev.resilience.queue.TaskQueue;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.jspecify.annotations.Nullable;

/**
 * {@code resilience-queue [connection options] stats | migrate | dead list | dead reprocess | dead discard}.
 * The password comes from an environment variable ({@code --password-env}, default {@code PGPASSWORD}),
 * never from an argument. Exit code 0 on success, 1 when the database refuses, 2 on bad usage.
 */
@Command(name = "resilience-queue", mixinStandardHelpOptions = true,
        description = "Inspect a resilience-queue schema and manage its dead letter queue.",
        subcommands = {QueueCommand.Stats.class, QueueCommand.Migrate.class, QueueCommand.Dead.class})
public final class QueueCommand {

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line, for embedding and tests.
     *
     * @return a new command line; its exit code is what {@code main} exits with
     */
    public static CommandLine commandLine() {
        return new CommandLine(new QueueCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        });
    }

    /** Connection options every subcommand shares. */
    static final class Connection {
        @Option(names = {"-H", "--host"}, defaultValue = "localhost", description = "Server host (default: ${DEFAULT-VALUE}).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String host;

        @Option(names = {"-p", "--port"}, defaultValue = "5432", description = "Server port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = {"-d", "--database"}, required = true, description = "Database holding the queue.")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String database;

        @Option(names = {"-U", "--user"}, defaultValue = "postgres", description = "User (default: ${DEFAULT-VALUE}).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String user;

        @Option(names = "--password-env", paramLabel = "VAR", defaultValue = "PGPASSWORD",
                description = "Environment variable holding the password (default: ${DEFAULT-VALUE}, if set).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String passwordEnv;

        @Option(names = "--schema", defaultValue = "resilience_queue", description = "Queue schema (default: ${DEFAULT-VALUE}).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String schema;

        TaskQueue queue() {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setServerNames(new String[] {host});
            ds.setPortNumbers(new int[] {port});
            ds.setDatabaseName(database);
            ds.setUser(user);
            ds.setApplicationName("resilience-queue-cli");
            String password = System.getenv(passwordEnv);
            if (password != null) {
                ds.setPassword(password);
            }
            // handlers are not needed to inspect: the CLI never starts workers
            return TaskQueue.builder(ds).schema(schema).build();
        }
    }

    /** Which dead tasks: one id, one type, or all. */
    static final class Selection {
        @Option(names = "--id", description = "One dead task.")
        @Nullable Long id;

        @Option(names = "--type", description = "Every dead task of this type.")
        @Nullable String type;

        @Option(names = "--all", description = "Every dead task.")
        boolean all;

        DeadLetterFilter filter() {
            return id != null ? DeadLetterFilter.ofId(id) : type != null ? DeadLetterFilter.ofType(type) : DeadLetterFilter.all();
        }
    }

    @Command(name = "stats", description = "Ready, running and dead tasks per type.")
    static final class Stats implements Callable<Integer> {
        @Mixin Connection connection;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            QueueStats stats = connection.queue().stats();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-30s %10s %10s %10s %12s%n", "type", "ready", "running", "dead", "oldest (s)");
            stats.byType().forEach((type, s) -> out.printf("%-30s %10d %10d %10d %12d%n", type, s.ready(), s.running(),
                    s.dead(), s.oldestReady().toSeconds()));
            out.flush();
            return 0;
        }
    }

    @Command(name = "migrate", description = "Create or upgrade the queue schema.")
    static final class Migrate implements Callable<Integer> {
        @Mixin Connection connection;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TaskQueue queue = connection.queue();
            queue.migrate();
            spec.commandLine().getOut().println("schema " + queue.schema() + " is up to date");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "dead", description = "The dead letter queue.",
            subcommands = {Dead.ListDead.class, Dead.Reprocess.class, Dead.Discard.class})
    static final class Dead {

        @Command(name = "list", description = "Dead tasks, oldest first, with their last failure (--history: all).")
        static final class ListDead implements Callable<Integer> {
            @Mixin Connection connection;
            @Spec CommandLine.Model.CommandSpec spec;

            @Option(names = "--type", description = "Only this type.")
            @Nullable String type;

            @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
            int limit;

            @Option(names = "--history", description = "Print every failed attempt, stack traces included.")
            boolean history;

            @Override
            public Integer call() {
                PrintWriter out = spec.commandLine().getOut();
                for (DeadTask t : connection.queue().deadLetters().list(new DeadLetterFilter(null, type), limit)) {
                    AttemptFailure last = t.lastFailure();
                    out.printf("%d %s attempts=%d dead=%s key=%s last=%s: %s%n", t.id(), t.type(), t.attempts(), t.deadAt(),
                            t.idempotencyKey() == null ? "-" : t.idempotencyKey(), last == null ? "-" : last.error(),
                            last == null ? "" : last.message());
                    if (history) {
                        for (AttemptFailure f : t.history()) {
                            out.printf("  attempt %d at %s: %s: %s%n%s%n", f.attempt(), f.at(), f.error(), f.message(),
                                    f.stack() == null ? "" : f.stack().indent(4));
                        }
                    }
                }
                out.flush();
                return 0;
            }
        }

        /** Reprocess or discard the selected dead tasks. */
        abstract static class Change implements Callable<Integer> {
            @Mixin Connection connection;
            @Spec CommandLine.Model.CommandSpec spec;
            @ArgGroup(multiplicity = "1") Selection selection;

            abstract int apply(DeadLetterQueue dlq, DeadLetterFilter filter);

            @Override
            public Integer call() {
                int n = apply(connection.queue().deadLetters(), selection.filter());
                spec.commandLine().getOut().println(spec.name() + "ed " + n);
                spec.commandLine().getOut().flush();
                return 0;
            }
        }

        @Command(name = "reprocess", description = "Send dead tasks back to the queue (attempts start again).")
        static final class Reprocess extends Change {
            @Override
            int apply(DeadLetterQueue dlq, DeadLetterFilter filter) {
                return dlq.reprocess(filter);
            }
        }

        @Command(name = "discard", description = "Delete dead tasks.")
        static final class Discard extends Change {
            @Override
            int apply(DeadLetterQueue dlq, DeadLetterFilter filter) {
                return dlq.discard(filter);
            }
        }
    }
}
