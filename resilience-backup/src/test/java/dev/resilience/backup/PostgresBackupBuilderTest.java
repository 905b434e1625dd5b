package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PostgresBackupBuilderTest {

    private final MemoryStore store = new MemoryStore();

    @Test
    void databaseAndStoreAreRequired() {
        assertThatThrownBy(() -> PostgresBackup.builder().store(store).build()).hasMessage("database is required");
        assertThatThrownBy(() -> PostgresBackup.builder().database("db").build()).hasMessage("store is required");
    }

    @Test
    void directoryFormatCannotBeEncryptedBecausePgDumpWritesPlaintextFiles() {
        BackupEncryption key = BackupEncryption.ofKey(Base64.getDecoder().decode(BackupEncryption.generateKey()), "k");

        assertThatThrownBy(() -> PostgresBackup.builder().database("db").store(store).format(DumpFormat.DIRECTORY)
                .encryption(key).build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DIRECTORY");
    }

    @Test
    void parallelJobsNeedTheDirectoryFormat() {
        assertThatThrownBy(() -> PostgresBackup.builder().database("db").store(store).jobs(4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jobs > 1");
    }

    @Test
    void valuesAreValidatedNamingTheParameterAndValue() {
        assertThatThrownBy(() -> PostgresBackup.builder().port(70000)).hasMessage("port must be between 1 and 65535, was 70000");
        assertThatThrownBy(() -> PostgresBackup.builder().host(" ")).hasMessage("host must not be blank, was ' '");
        assertThatThrownBy(() -> PostgresBackup.builder().smallDumpRatio(1.5)).hasMessage("smallDumpRatio must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> PostgresBackup.builder().jobs(0)).hasMessage("jobs must be between 1 and 64, was 0");
    }
}
