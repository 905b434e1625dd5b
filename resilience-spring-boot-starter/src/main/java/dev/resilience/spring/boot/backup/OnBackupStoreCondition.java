package dev.resilience.spring.boot.backup;

import dev.resilience.backup.BackupStore;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.ConfigurationCondition;

/** Matches when there is somewhere to keep backups: {@code resilience.backup.directory} or a {@link BackupStore} bean. */
final class OnBackupStoreCondition extends AnyNestedCondition {

    OnBackupStoreCondition() {
        super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty(prefix = "resilience.backup", name = "directory")
    static final class DirectorySet {
    }

    @ConditionalOnBean(BackupStore.class)
    static final class StoreBean {
    }
}
