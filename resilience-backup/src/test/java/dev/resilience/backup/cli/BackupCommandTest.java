package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackupCommandTest {

    @Test
    void helpExitsZero() {
        assertThat(BackupCommand.execute("--help")).isZero();
        assertThat(BackupCommand.execute("backup", "--help")).isZero();
    }

    @Test
    void aPasswordValueOnTheCommandLineIsNotAnOption() {
        assertThat(BackupCommand.execute("list", "-d", "db", "-s", "/tmp/x", "--password", "secret")).isEqualTo(2);
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        assertThat(BackupCommand.execute("backup", "-d", "db")).isEqualTo(2);
    }

    @Test
    void aUnixSocketFolderIsAHostLikeInLibpq() {
        assertThat(BackupCommand.execute("list", "-H", "/var/run/postgresql", "-d", "db", "-s", "target/cli-test-store"))
                .isZero();
    }

    @Test
    void anUnsetPasswordVariableIsAUsageError() {
        assertThat(BackupCommand.execute("list", "-d", "db", "-s", "target/cli-test-store",
                "--password-env", "RESILIENCE_BACKUP_TEST_UNSET_PASSWORD")).isEqualTo(2);
    }
}
