package dev.resilience.spring.boot.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.BackupScheduler;
import dev.resilience.backup.LocalDirectoryStore;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.core.HealthCheck;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

/** The backup auto-configuration's beans and conditions; nothing here runs pg_dump or connects. */
class ResilienceBackupAutoConfigurationTest {

    @TempDir
    Path store;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceBackupAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:postgresql://db.example:6543/orders?sslmode=require",
                    "spring.datasource.username=app", "resilience.backup.schedule.auto-start=false");

    @Test
    void backsOffWithoutADirectoryOrAStore() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(PostgresBackup.class);
            assertThat(context).doesNotHaveBean(BackupScheduler.class);
        });
    }

    @Test
    void theServerAndDatabaseComeFromSpringDatasourceAndTheScheduleFromResilienceBackup() {
        runner.withPropertyValues("resilience.backup.directory=" + store, "resilience.backup.schedule.backup-cron=30 4 * * *",
                        "resilience.backup.schedule.zone=Europe/Berlin")
                .run(context -> {
                    PostgresBackup backup = context.getBean(PostgresBackup.class);
                    assertThat(backup.database()).isEqualTo("orders");
                    assertThat(backup.server()).isEqualTo("db.example:6543");
                    assertThat(backup.store()).isInstanceOf(LocalDirectoryStore.class);
                    assertThat(backup.retention().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
                    ZonedDateTime next = context.getBean(BackupScheduler.class).nextRun(BackupScheduler.Job.BACKUP).orElseThrow()
                            .atZone(ZoneId.of("Europe/Berlin"));
                    assertThat(next.getHour()).isEqualTo(4);
                    assertThat(next.getMinute()).isEqualTo(30);
                    assertThat(context).hasBean("postgresBackupHealthCheck");
                    assertThat(context.getBean("postgresBackupHealthCheck")).isInstanceOf(HealthCheck.class);
                    assertThat(context).as("auto-start=false").doesNotHaveBean(SmartLifecycle.class);
                });
    }

    @Test
    void explicitServerSettingsWinOverSpringDatasource() {
        runner.withPropertyValues("resilience.backup.directory=" + store, "resilience.backup.host=replica.example",
                        "resilience.backup.port=5433", "resilience.backup.database=orders_copy")
                .run(context -> {
                    PostgresBackup backup = context.getBean(PostgresBackup.class);
                    assertThat(backup.database()).isEqualTo("orders_copy");
                    assertThat(backup.server()).isEqualTo("replica.example:5433");
                });
    }

    @Test
    void theSchedulerStartsWithTheContextByDefault() {
        runner.withPropertyValues("resilience.backup.directory=" + store, "resilience.backup.schedule.auto-start=true")
                .run(context -> assertThat(context).hasSingleBean(SmartLifecycle.class));
    }

    @Test
    void theApplicationsOwnBackupIsScheduledAndChecked() {
        runner.withBean("ownBackup", PostgresBackup.class, () -> PostgresBackup.builder().host("own.example").database("own")
                        .store(LocalDirectoryStore.of(store)).build())
                .run(context -> {
                    assertThat(context).hasSingleBean(PostgresBackup.class);
                    assertThat(context.getBean(PostgresBackup.class).database()).isEqualTo("own");
                    assertThat(context).hasSingleBean(BackupScheduler.class);
                    assertThat(context).hasBean("postgresBackupHealthCheck");
                });
    }

    @Test
    void aMalformedKeyFailsStartUpWithoutShowingIt() {
        String notAKey = "c2VjcmV0LWJ1dC10b28tc2hvcnQ=";
        runner.withPropertyValues("resilience.backup.directory=" + store, "resilience.backup.encryption.key=" + notAKey)
                .run(context -> {
                    assertThat(context).hasFailed();
                    String messages = messages(context.getStartupFailure());
                    assertThat(messages).contains("resilience.backup.encryption.key must be the base64 of 32 bytes");
                    assertThat(messages).doesNotContain(notAKey);
                });
    }

    @Test
    void theKeyAndPasswordNeverShowInToString() {
        String key = BackupEncryption.generateKey();
        runner.withPropertyValues("resilience.backup.directory=" + store, "resilience.backup.encryption.key=" + key,
                        "resilience.backup.password=pg-secret-42")
                .run(context -> {
                    PostgresBackup backup = context.getBean(PostgresBackup.class);
                    BackupProperties properties = context.getBean(BackupProperties.class);
                    assertThat(properties.getEncryption().getKey()).isEqualTo(key);
                    for (Object bean : new Object[] {properties, properties.getEncryption(), backup,
                        context.getBean(BackupScheduler.class), context.getBean("postgresBackupHealthCheck")}) {
                        assertThat(String.valueOf(bean)).doesNotContain(key).doesNotContain("pg-secret-42");
                    }
                });
    }

    @Test
    void nothingRunsWhenDisabledOrWithoutTheModule() {
        runner.withPropertyValues("resilience.backup.directory=" + store, "resilience.backup.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(PostgresBackup.class));
        runner.withPropertyValues("resilience.backup.directory=" + store).withClassLoader(new FilteredClassLoader(PostgresBackup.class))
                .run(context -> assertThat(context).doesNotHaveBean(ResilienceBackupAutoConfiguration.class));
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }
}
