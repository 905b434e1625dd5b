package dev.resilience.spring.boot.backup;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.BackupScheduler;
import dev.resilience.backup.BackupStore;
import dev.resilience.backup.Compression;
import dev.resilience.backup.JobLock;
import dev.resilience.backup.LocalDirectoryStore;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.backup.BackupRetention;
import dev.resilience.backup.micrometer.BackupMetrics;
import dev.resilience.core.HealthCheck;
import dev.resilience.spring.boot.PhasedLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Scheduled, verified {@code pg_dump} backups from {@code resilience.backup.*}: a {@link PostgresBackup}, its
 * {@link BackupScheduler} (started with the application unless {@code schedule.auto-start=false}), the backup
 * health as a core {@link HealthCheck} bean, and Micrometer meters when Micrometer is there. The server,
 * database and credentials default to {@code spring.datasource.*}. Runs when {@code resilience.backup.directory}
 * is set or the application defines a {@code BackupStore} or {@code PostgresBackup} bean; each bean backs off
 * when the application defines one of its type. Off with {@code resilience.backup.enabled=false}.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(PostgresBackup.class)
@ConditionalOnProperty(prefix = "resilience.backup", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(BackupProperties.class)
public class ResilienceBackupAutoConfiguration {

    /** Environment variables whose value a Spring application may read as a secret here; never handed to pg_dump. */
    static final String[] SECRET_VARIABLES = {"RESILIENCE_BACKUP_ENCRYPTION_KEY", "RESILIENCE_BACKUP_PASSWORD",
        "SPRING_DATASOURCE_PASSWORD", "SPRING_APPLICATION_JSON"};

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/:?,\\[]+)(?::(\\d+))?/([^?;]+).*");

    /**
     * The backup orchestrator.
     *
     * @param environment where {@code spring.datasource.*} is read
     * @param properties  {@code resilience.backup.*}
     * @param customizers applied last, in order
     * @param store       where backups go when {@code resilience.backup.directory} is not set: the application's
     *                    one {@code BackupStore} bean
     * @param listeners   each gives a listener for the database (the Micrometer meters when Micrometer is there)
     * @return the orchestrator
     */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnBackupStoreCondition.class)
    public PostgresBackup postgresBackup(Environment environment, BackupProperties properties,
                                         ObjectProvider<PostgresBackupCustomizer> customizers,
                                         ObjectProvider<BackupStore> store,
                                         ObjectProvider<BackupListenerFactory> listeners) {
        Binder binder = Binder.get(environment);
        String url = binder.bind("spring.datasource.url", String.class).orElse(null);
        Matcher parsed = JDBC_URL.matcher(url == null ? "" : url);
        boolean fromUrl = url != null && parsed.matches();
        String host = properties.getHost() != null ? properties.getHost() : fromUrl ? parsed.group(1) : null;
        String database = properties.getDatabase() != null ? properties.getDatabase() : fromUrl ? parsed.group(3) : null;
        if (host == null || database == null) {
            throw new IllegalStateException("resilience.backup needs the server: set resilience.backup.host and "
                    + "resilience.backup.database, or a single-host spring.datasource.url (jdbc:postgresql://host:5432/db)");
        }
        int port = properties.getPort() != null ? properties.getPort()
                : fromUrl && parsed.group(2) != null ? Integer.parseInt(parsed.group(2)) : 5432;
        String user = properties.getUser() != null ? properties.getUser()
                : binder.bind("spring.datasource.username", String.class).orElse(null);
        String password = properties.getPassword() != null ? properties.getPassword()
                : binder.bind("spring.datasource.password", String.class).orElse(null);

        PostgresBackup.Builder builder = PostgresBackup.builder().host(host).port(port).database(database)
                .secretEnvironmentVariables(SECRET_VARIABLES);
        Optional.ofNullable(user).ifPresent(builder::user);
        Optional.ofNullable(password).ifPresent(p -> builder.password(p.toCharArray()));
        if (properties.getDirectory() != null) {
            builder.store(LocalDirectoryStore.of(properties.getDirectory()));
        } else {
            store.ifUnique(builder::store);
        }
        listeners.orderedStream().forEach(factory -> builder.listener(factory.forDatabase(database)));
        Optional.ofNullable(properties.getMaintenanceDatabase()).ifPresent(builder::maintenanceDatabase);
        Optional.ofNullable(properties.getWorkDirectory()).ifPresent(builder::workDirectory);
        Optional.ofNullable(properties.getAuditLog()).ifPresent(builder::auditLog);
        Optional.ofNullable(properties.getFormat()).ifPresent(builder::format);
        Optional.ofNullable(properties.getJobs()).ifPresent(builder::jobs);
        Optional.ofNullable(properties.getCompression()).map(Compression::parse).ifPresent(builder::compression);
        Optional.ofNullable(properties.getIncludeGlobals()).ifPresent(builder::includeGlobals);
        if (!properties.getExtraFiles().isEmpty()) {
            builder.extraFiles(properties.getExtraFiles().toArray(java.nio.file.Path[]::new));
        }
        Optional.ofNullable(properties.getMaxAge()).ifPresent(builder::maxAge);
        Optional.ofNullable(properties.getMinFreeSpace()).ifPresent(builder::minFreeSpace);
        Optional.ofNullable(properties.getSmallDumpRatio()).ifPresent(builder::smallDumpRatio);
        BackupProperties.Retention retention = properties.getRetention();
        builder.retention(BackupRetention.of(retention.getDaily(), retention.getWeekly(), retention.getMonthly(),
                properties.getSchedule().getZone()));
        Optional.ofNullable(encryption(properties.getEncryption())).ifPresent(builder::encryption);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** The key from {@code encryption.key} or {@code encryption.key-file}; messages never quote the key. */
    static @Nullable BackupEncryption encryption(BackupProperties.Encryption encryption) {
        if (encryption.getKey() != null && encryption.getKeyFile() != null) {
            throw new IllegalArgumentException("set one of resilience.backup.encryption.key and resilience.backup.encryption.key-file, not both");
        }
        if (encryption.getKeyFile() != null) {
            return BackupEncryption.fromKeyFile(encryption.getKeyFile(), encryption.getKeyId());
        }
        if (encryption.getKey() == null || encryption.getKey().isBlank()) {
            return null;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encryption.getKey().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resilience.backup.encryption.key is not base64 (value not shown); "
                    + "generate a key with the backup CLI's keygen");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("resilience.backup.encryption.key must be the base64 of 32 bytes, not "
                    + key.length + " (value not shown)");
        }
        try {
            return BackupEncryption.ofKey(key, encryption.getKeyId());
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The schedule.
     *
     * @param backup     the orchestrator
     * @param properties {@code resilience.backup.schedule.*}
     * @return the scheduler, not yet started; Spring closes it on shutdown
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(PostgresBackup.class)
    public BackupScheduler backupScheduler(PostgresBackup backup, BackupProperties properties) {
        BackupProperties.Schedule schedule = properties.getSchedule();
        BackupScheduler.Builder builder = BackupScheduler.builder(backup).zone(schedule.getZone());
        Optional.ofNullable(schedule.getBackupCron()).ifPresent(builder::backupCron);
        Optional.ofNullable(schedule.getVerifyCron()).ifPresent(builder::verifyCron);
        Optional.ofNullable(schedule.getPruneAfterBackup()).ifPresent(builder::pruneAfterBackup);
        if (!schedule.getDrillTables().isEmpty()) {
            builder.drillTables(schedule.getDrillTables().toArray(String[]::new));
        }
        if (schedule.getLock() == BackupProperties.LockKind.LOCAL) {
            builder.lock(JobLock.local());
        }
        return builder.build();
    }

    /**
     * Starts the scheduler once the application context is up (not while it is being built), when
     * {@code resilience.backup.schedule.auto-start} is true.
     *
     * @param scheduler the scheduler
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnBean(BackupScheduler.class)
    @ConditionalOnProperty(prefix = "resilience.backup.schedule", name = "auto-start", havingValue = "true", matchIfMissing = true)
    public SmartLifecycle backupSchedulerLifecycle(BackupScheduler scheduler) {
        return new BackupSchedulerLifecycle(scheduler);
    }

    /**
     * The backup health (no backup, too old, failed, verification not passed: DOWN; little free space: DEGRADED).
     *
     * @param backup the orchestrator
     * @return its health check
     */
    @Bean
    @ConditionalOnMissingBean(name = "postgresBackupHealthCheck")
    @ConditionalOnBean(PostgresBackup.class)
    public HealthCheck postgresBackupHealthCheck(PostgresBackup backup) {
        return backup.asHealthCheck();
    }

    /** Backup meters in Micrometer when it is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class BackupMetricsConfiguration {

        @Bean
        @ConditionalOnBean(MeterRegistry.class)
        BackupListenerFactory postgresBackupMeters(MeterRegistry registry) {
            return database -> BackupMetrics.bindTo(registry, database);
        }
    }

    /** Starts the scheduler after the context is refreshed; closing is left to the bean's own close(). */
    static final class BackupSchedulerLifecycle extends PhasedLifecycle {

        private final BackupScheduler scheduler;

        BackupSchedulerLifecycle(BackupScheduler scheduler) {
            super(DEFAULT_PHASE);
            this.scheduler = scheduler;
        }

        @Override
        protected void onStart() {
            scheduler.start();
        }

        @Override
        protected void onStop() {
            // the scheduler bean's close() stops it when Spring destroys the beans
        }
    }
}
