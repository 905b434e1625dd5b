/**
 * Durable tasks on PostgreSQL: outbox enqueue, SKIP LOCKED workers with leases, backoff, a dead letter
 * queue, a webhook sender, an admin handler and a CLI. {@code dev.resilience.queue.internal} is not API
 * and is not exported. On the class path the jar is the automatic module of the same name, as before.
 */
module dev.resilience.queue {
    requires transitive dev.resilience.core;
    requires transitive java.sql;
    // QueueAdminHandler is an HttpHandler; WebhookSender takes an HttpClient
    requires transitive jdk.httpserver;
    requires transitive java.net.http;
    requires java.management;
    // the CLI builds a PGSimpleDataSource, which is a javax.naming.Referenceable
    requires java.naming;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    // annotations only (@NullMarked, @Nullable), not needed at run time
    requires static org.jspecify;
    // optional: only the CLI needs picocli, only dev.resilience.queue.micrometer needs Micrometer
    requires static info.picocli;
    requires static micrometer.core;

    exports dev.resilience.queue;
    exports dev.resilience.queue.webhook;
    exports dev.resilience.queue.admin;
    exports dev.resilience.queue.micrometer;

    // picocli sets the CLI's option fields by reflection
    opens dev.resilience.queue.cli to info.picocli;
}
