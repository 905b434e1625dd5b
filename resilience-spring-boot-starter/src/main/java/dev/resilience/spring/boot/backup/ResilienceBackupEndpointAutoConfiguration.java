package dev.resilience.spring.boot.backup;

import dev.resilience.backup.BackupScheduler;
import dev.resilience.backup.PostgresBackup;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Actuator on the class path: the endpoint {@code backups} ({@link BackupsEndpoint}) when a
 * {@link PostgresBackup} bean exists and the endpoint is available (exposed and not disabled), and a
 * {@link SanitizingFunction} that keeps the backup's key and password out of {@code env} and {@code configprops}.
 */
@AutoConfiguration(after = ResilienceBackupAutoConfiguration.class)
@ConditionalOnClass({PostgresBackup.class, Endpoint.class, ConditionalOnAvailableEndpoint.class})
public class ResilienceBackupEndpointAutoConfiguration {

    /** Keys of secrets, lower case, with dots for underscores and without dashes. */
    static final Set<String> SECRET_KEYS = Set.of("resilience.backup.encryption.key", "resilience.backup.password");

    /**
     * The endpoint.
     *
     * @param backup    the orchestrator
     * @param scheduler its schedule, if any
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(PostgresBackup.class)
    @ConditionalOnAvailableEndpoint(endpoint = BackupsEndpoint.class)
    public BackupsEndpoint backupsEndpoint(PostgresBackup backup, ObjectProvider<BackupScheduler> scheduler) {
        return new BackupsEndpoint(backup, scheduler.getIfUnique());
    }

    /**
     * Masks the backup's secrets ({@code resilience.backup.encryption.key}, {@code resilience.backup.password},
     * in any relaxed spelling such as {@code RESILIENCE_BACKUP_ENCRYPTION_KEY}) in Actuator's {@code env} and
     * {@code configprops} answers even when they are set to show values: Spring Boot 3 masks by key only
     * what a {@link SanitizingFunction} tells it to.
     *
     * @return the function
     */
    @Bean
    @ConditionalOnMissingBean(name = "resilienceBackupSecretsSanitizer")
    public SanitizingFunction resilienceBackupSecretsSanitizer() {
        return data -> SECRET_KEYS.contains(data.getLowerCaseKey().replace('_', '.').replace("-", ""))
                ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
    }
}
