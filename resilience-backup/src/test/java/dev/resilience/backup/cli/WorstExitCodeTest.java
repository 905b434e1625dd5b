package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorstExitCodeTest {

    @Test
    void aRunOverSeveralDatabasesExitsWithTheWorstCode() {
        assertThat(BackupCommand.worst(0, BackupCommand.FLAGGED)).isEqualTo(BackupCommand.FLAGGED);
        assertThat(BackupCommand.worst(BackupCommand.FLAGGED, BackupCommand.FAILED)).isEqualTo(BackupCommand.FAILED);
        assertThat(BackupCommand.worst(BackupCommand.CORRUPT, BackupCommand.FAILED)).isEqualTo(BackupCommand.CORRUPT);
        assertThat(BackupCommand.worst(BackupCommand.FAILED, 0)).isEqualTo(BackupCommand.FAILED);
        assertThat(BackupCommand.worst(BackupCommand.USAGE, BackupCommand.CORRUPT)).isEqualTo(BackupCommand.USAGE);
    }
}
