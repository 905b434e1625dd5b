/**
 * {@code pg_dump} backups: streaming checksums, encryption, manifests, verification, restore drills,
 * retention, a cron schedule, an S3 store and a CLI. {@code dev.resilience.backup.internal} is not API
 * and is not exported. On the class path the jar is the automatic module of the same name, as before.
 */
module dev.resilience.backup {
    requires transitive dev.resilience.core;
    requires transitive java.sql;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.google.crypto.tink;
    requires com.cronutils;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    // annotations only (@NullMarked, @Nullable), not needed at run time
    requires static org.jspecify;
    // optional: only S3BackupStore needs the AWS SDK, only the CLI needs picocli, only
    // dev.resilience.backup.micrometer needs Micrometer; each is on the path only when the host adds it
    requires static software.amazon.awssdk.services.s3;
    requires static software.amazon.awssdk.core;
    requires static software.amazon.awssdk.awscore;
    requires static software.amazon.awssdk.http;
    requires static software.amazon.awssdk.regions;
    requires static info.picocli;
    requires static micrometer.core;

    exports dev.resilience.backup;
    exports dev.resilience.backup.s3;
    exports dev.resilience.backup.micrometer;

    // manifests and audit events are read and written by Jackson; the CLI's JSON output too;
    // picocli sets the CLI's option fields by reflection
    opens dev.resilience.backup to com.fasterxml.jackson.databind;
    opens dev.resilience.backup.cli to com.fasterxml.jackson.databind, info.picocli;
}
