package dev.resilience.backup.cli;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.Compression;
import dev.resilience.backup.DumpFormat;
import dev.resilience.backup.LocalDirectoryStore;
import dev.resilience.backup.PgBinaries;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.backup.RetentionPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** Options every subcommand shares: server, credentials (never as a value), store, key, audit log. */
final class ConnectionOptions {

    @Option(names = {"-H", "--host"}, defaultValue = "${env:PGHOST:-localhost}",
            description = "Server host (default: PGHOST, else localhost; a TCP host: JDBC cannot use Unix sockets).")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "${env:PGPORT:-5432}", description = "Server port (default: PGPORT, else 5432).")
    int port;

    @Option(names = {"-d", "--database"}, defaultValue = "${env:PGDATABASE}",
            description = "Database to back up (default: PGDATABASE; required when that is unset).")
    String database;

    @Option(names = {"-U", "--user"}, defaultValue = "${env:PGUSER:-postgres}", description = "User (default: PGUSER, else postgres).")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Environment variable holding the password (default: PGPASSWORD when set).")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File whose first line is the password.")
    Path passwordFile;

    @Option(names = {"-s", "--store"}, required = true, paramLabel = "DIR", description = "Backup directory.")
    Path store;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "Folder of pg_dump/pg_restore (default: PATH, then the usual install folders).")
    Path pgBin;

    @Option(names = "--key-file", paramLabel = "FILE", description = "File with the base64 AES-256 key (see keygen).")
    Path keyFile;

    @Option(names = "--key-env", paramLabel = "VAR", description = "Environment variable with the base64 AES-256 key.")
    String keyEnv;

    @Option(names = "--key-id", description = "Key id recorded in manifests (default: derived from the key).")
    String keyId;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "JSON-lines audit log (default: <store>/audit.jsonl).")
    Path auditLog;

    @Option(names = "--retain", defaultValue = "7,4,12", paramLabel = "D,W,M",
            description = "Daily, weekly, monthly backups to keep (default: ${DEFAULT-VALUE}).")
    String retain;

    @Option(names = "--zone", defaultValue = "UTC", description = "Time zone of retention buckets (default: ${DEFAULT-VALUE}).")
    ZoneId zone;

    PostgresBackup.Builder builder() {
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("--database is required (or set PGDATABASE)");
        }
        if (host.startsWith("/")) {
            throw new IllegalArgumentException("--host " + host + " (or PGHOST) is a Unix-socket folder; the JDBC side"
                    + " needs TCP: give a host name or address such as 127.0.0.1");
        }
        PostgresBackup.Builder b = PostgresBackup.builder().host(host).port(port).database(database).user(user)
                .store(LocalDirectoryStore.of(store))
                .auditLog(auditLog != null ? auditLog : store.resolve("audit.jsonl"))
                .retention(retention());
        if (passwordFile != null) {
            Path file = passwordFile;
            b.password(() -> readFirstLine(file));
        } else {
            String variable = passwordEnv != null ? passwordEnv : (System.getenv("PGPASSWORD") != null ? "PGPASSWORD" : null);
            if (variable != null) {
                if (System.getenv(variable) == null) {
                    throw new IllegalArgumentException("environment variable " + variable + " (--password-env) is not set");
                }
                b.password(() -> System.getenv(variable).toCharArray());
                b.secretEnvironmentVariables(variable);
            }
        }
        if (pgBin != null) {
            b.binaries(PgBinaries.in(pgBin));
        }
        if (keyFile != null && keyEnv != null) {
            throw new IllegalArgumentException("give either --key-file or --key-env, not both");
        }
        if (keyFile != null) {
            b.encryption(BackupEncryption.fromKeyFile(keyFile, keyId));
        } else if (keyEnv != null) {
            b.encryption(BackupEncryption.fromEnvironment(keyEnv, keyId));
        }
        return b;
    }

    PostgresBackup build() {
        return builder().build();
    }

    private RetentionPolicy retention() {
        String[] parts = retain.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--retain must be D,W,M (for example 7,4,12): '" + retain + "'");
        }
        try {
            return RetentionPolicy.of(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()), zone);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--retain must be three numbers D,W,M: '" + retain + "'", e);
        }
    }

    private static char[] readFirstLine(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return (end < 0 ? text : text.substring(0, end)).replace("\r", "").toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --password-file " + file, e);
        }
    }

    static Compression compression(String text) {
        return Compression.parse(text);
    }

    static DumpFormat format(String text) {
        return DumpFormat.valueOf(text.toUpperCase(java.util.Locale.ROOT));
    }
}
