package dev.resilience.backup.cli;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.BackupStore;
import dev.resilience.backup.MirroredStore;
import dev.resilience.backup.Compression;
import dev.resilience.backup.DumpFormat;
import dev.resilience.backup.LocalDirectoryStore;
import dev.resilience.backup.PgBinaries;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.backup.BackupRetention;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import org.jspecify.annotations.Nullable;

/** Options every subcommand shares: server, credentials (never as a value), store, key, audit log. */
final class ConnectionOptions {

    // like libpq: an option given wins, then the service file's setting, then PG* variables, then the default

    @Option(names = {"-H", "--host"},
            description = "Server host, or the folder of its Unix socket (an absolute path, as in libpq) (default: the service's host, PGHOST, else localhost).")
    @Nullable String host;

    @Option(names = {"-p", "--port"}, description = "Server port (default: the service's port, PGPORT, else 5432).")
    @Nullable Integer port;

    @Option(names = {"-d", "--database"},
            description = "Database (default: the service's dbname, else PGDATABASE; required when neither is set);"
                    + " backup and status take it several times, each database then in <store>/<database>.")
    List<String> databases = new ArrayList<>();

    @Option(names = {"-U", "--user"}, description = "User (default: the service's user, PGUSER, else postgres).")
    @Nullable String user;

    @Option(names = "--service", defaultValue = "${env:PGSERVICE}", paramLabel = "NAME",
            description = "Connection service in pg_service.conf (PGSERVICEFILE, ~/.pg_service.conf, $PGSYSCONFDIR) (default: PGSERVICE).")
    @Nullable String service;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Environment variable holding the password (default: the service's password, PGPASSWORD, then PGPASSFILE or ~/.pgpass).")
    @Nullable String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File whose first line is the password.")
    @Nullable Path passwordFile;

    @Option(names = {"-s", "--store"}, required = true, paramLabel = "DIR",
            description = "Backup directory; with --s3-bucket (and no --mirror-s3) it holds only the audit log and work folder.")
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
    Path store;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "Folder of pg_dump/pg_restore (default: PATH, then the usual install folders).")
    @Nullable Path pgBin;

    @Option(names = "--key-file", paramLabel = "FILE", description = "File with the base64 AES-256 key (see keygen).")
    @Nullable Path keyFile;

    @Option(names = "--key-env", paramLabel = "VAR", description = "Environment variable with the base64 AES-256 key.")
    @Nullable String keyEnv;

    @Option(names = "--key-id", description = "Key id recorded in manifests (default: derived from the key).")
    @Nullable String keyId;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "JSON-lines audit log (default: <store>/audit.jsonl).")
    @Nullable Path auditLog;

    @Option(names = "--retain", defaultValue = "7,4,12", paramLabel = "D,W,M",
            description = "Daily, weekly, monthly backups to keep (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
    String retain;

    @Option(names = "--zone", defaultValue = "UTC", description = "Time zone of retention buckets (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
    ZoneId zone;

    @picocli.CommandLine.Mixin
    S3Options s3 = new S3Options();

    @Option(names = "--notify-url", paramLabel = "URL",
            description = "Webhook posted a small JSON body when the command exits non-zero; only its scheme, host and port are ever logged.")
    java.net.@Nullable URI notifyUrl;

    @Option(names = "--notify-url-file", paramLabel = "FILE",
            description = "File whose first line is the webhook URL: keeps a token in the URL out of the process list.")
    @Nullable Path notifyUrlFile;

    @Option(names = "--notify-timeout", defaultValue = "PT10S", paramLabel = "DURATION",
            description = "Bound on connecting to and waiting for the webhook, ISO-8601 (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
    java.time.Duration notifyTimeout;

    /** Databases that failed and why, when the command exits non-zero without an exception (for the webhook). */
    final Map<String, String> failures = new java.util.LinkedHashMap<>();

    /** The webhook from --notify-url or --notify-url-file; null when neither is given. */
    java.net.@Nullable URI webhookUrl() {
        if (notifyUrl != null && notifyUrlFile != null) {
            throw new IllegalArgumentException("give either --notify-url or --notify-url-file, not both");
        }
        if (notifyUrlFile == null) {
            return notifyUrl;
        }
        try {
            return java.net.URI.create(new String(readFirstLine(notifyUrlFile)).trim());
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read --notify-url-file " + notifyUrlFile + ": " + e.getCause(), e);
        } catch (IllegalArgumentException e) {
            // the message would quote the URL, which may hold a token
            throw new IllegalArgumentException("--notify-url-file " + notifyUrlFile + " does not hold a valid URL");
        }
    }

    /** The database as libpq's conventions resolve it; null when nothing names one. */
    @Nullable String databaseName() {
        if (databases.size() > 1) {
            throw new IllegalArgumentException("this command takes one --database, not " + databases.size());
        }
        return optionalSetting(databases.isEmpty() ? null : databases.get(0), serviceSettings().get("dbname"), "PGDATABASE");
    }

    /** True when several databases were named, so each one's backups live in {@code <store>/<database>}. */
    boolean severalDatabases() {
        return databases.size() > 1;
    }

    /**
     * The non-template databases that accept connections, by name: what {@code --all-databases} backs up.
     */
    List<String> allDatabases() {
        Map<String, String> fromService = serviceSettings();
        String host = host(fromService);
        int port = port(fromService);
        String user = user(fromService);
        dev.resilience.backup.internal.ServerConnection server = new dev.resilience.backup.internal.ServerConnection(
                host, port, "postgres", user, password(fromService, host, port, "postgres", user), java.util.Set.of(), null);
        try (java.sql.Connection c = server.open("postgres");
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT datname FROM pg_catalog.pg_database"
                     + " WHERE NOT datistemplate AND datallowconn ORDER BY datname")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (java.sql.SQLException e) {
            throw new dev.resilience.backup.BackupException("cannot list the databases on " + host + ": " + e.getMessage(), e);
        }
    }

    /**
     * The builder for {@code database}; with {@code ownFolder} its store is {@code <store>/<database>}
     * (and its default audit log there).
     */
    PostgresBackup.Builder builder(String database, boolean ownFolder) {
        if (ownFolder && (database.contains("/") || database.equals(".") || database.equals("..") || database.contains("\0"))) {
            throw new IllegalArgumentException("database " + database + " cannot name a folder of the store");
        }
        Path folder = ownFolder ? store.resolve(database) : store;
        return builder(database, folder, ownFolder ? database + "/" : "");
    }

    private Map<String, String> serviceSettings() {
        return service == null || service.isBlank() ? Map.of() : ServiceFile.settings(service);
    }

    PostgresBackup.Builder builder() {
        return builder(databaseName(), store, "");
    }

    private PostgresBackup.Builder builder(@Nullable String database, Path folder, String s3Subfolder) {
        s3.validate();
        java.net.URI url = webhookUrl();
        if (url != null) {
            Webhook.validate(url, notifyTimeout);
        }
        Map<String, String> fromService = serviceSettings();
        String host = host(fromService);
        String user = user(fromService);
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("--database is required (or set PGDATABASE or a service's dbname)");
        }
        int port = port(fromService);
        PostgresBackup.Builder b = PostgresBackup.builder().host(host).port(port).database(database).user(user)
                .store(store(folder, s3Subfolder))
                .workDirectory(created(folder))
                .auditLog(auditLog != null ? auditLog : folder.resolve("audit.jsonl"))
                .retention(retention());
        java.util.function.Supplier<char[]> password = password(fromService, host, port, database, user);
        if (password != null) {
            b.password(password);
        }
        if (passwordEnv != null) {
            b.secretEnvironmentVariables(passwordEnv);
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

    /**
     * The local folder, the S3 store (with {@code --s3-bucket}), or both mirrored (with {@code --mirror-s3}):
     * the local folder then holds the catalog that is read first, and every backup is also in S3.
     */
    private BackupStore store(Path folder, String s3Subfolder) {
        if (!s3.enabled()) {
            return LocalDirectoryStore.of(folder);
        }
        BackupStore remote = s3.store(s3Subfolder);
        return s3.mirror ? MirroredStore.of(LocalDirectoryStore.of(folder), remote) : remote;
    }

    /** The local folder, created owner-only when missing: it holds the work folder and audit log in every mode. */
    private static Path created(Path folder) {
        try {
            dev.resilience.backup.internal.OwnerOnly.createDirectories(folder.toAbsolutePath());
            return folder;
        } catch (IOException e) {
            throw new IllegalArgumentException("--store " + folder + " cannot be created: " + e, e);
        }
    }

    private int port(Map<String, String> fromService) {
        String portText = setting(this.port == null ? null : this.port.toString(), fromService.get("port"), "PGPORT", "5432");
        try {
            return Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number: '" + portText + "'", e);
        }
    }

    /** The host as libpq resolves it; an absolute path is the folder of the server's Unix socket. */
    private String host(Map<String, String> fromService) {
        return setting(this.host, fromService.get("host"), "PGHOST", "localhost");
    }

    private String user(Map<String, String> fromService) {
        return setting(this.user, fromService.get("user"), "PGUSER", "postgres");
    }

    /**
     * The password as libpq would find it: --password-file, --password-env, the service's
     * {@code password}, PGPASSWORD, then the password file (the service's {@code passfile}, PGPASSFILE or
     * ~/.pgpass) line matching host, port, database and user; null when none gives one.
     */
    private java.util.function.@Nullable Supplier<char[]> password(Map<String, String> fromService, String host, int port,
                                                          String database, String user) {
        if (passwordFile != null) {
            Path file = passwordFile;
            return () -> readFirstLine(file);
        }
        if (passwordEnv != null) {
            String variable = passwordEnv;
            if (System.getenv(variable) == null) {
                throw new IllegalArgumentException("environment variable " + variable + " (--password-env) is not set");
            }
            return () -> System.getenv(variable).toCharArray();
        }
        String fromServiceFile = fromService.get("password");
        if (fromServiceFile != null) {
            return fromServiceFile::toCharArray;
        }
        if (System.getenv("PGPASSWORD") != null) {
            return () -> System.getenv("PGPASSWORD").toCharArray();
        }
        Path passFile = fromService.containsKey("passfile") ? Path.of(fromService.get("passfile")) : PassFile.location();
        if (PassFile.lookup(passFile, host, port, database, user).isEmpty()) {
            return null;
        }
        return () -> PassFile.lookup(passFile, host, port, database, user).orElseGet(() -> new char[0]);
    }

    /** The option, else the service's setting, else the environment variable; null when none is set. */
    private static @Nullable String optionalSetting(@Nullable String option, @Nullable String fromService,
                                                    String variable) {
        if (option != null) {
            return option;
        }
        if (fromService != null) {
            return fromService;
        }
        String fromEnvironment = System.getenv(variable);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : null;
    }

    private static String setting(@Nullable String option, @Nullable String fromService, String variable,
                                  String fallback) {
        String found = optionalSetting(option, fromService, variable);
        return found != null ? found : fallback;
    }

    PostgresBackup build() {
        return builder().build();
    }

    private BackupRetention retention() {
        String[] parts = retain.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--retain must be D,W,M (for example 7,4,12): '" + retain + "'");
        }
        try {
            return BackupRetention.of(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
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
