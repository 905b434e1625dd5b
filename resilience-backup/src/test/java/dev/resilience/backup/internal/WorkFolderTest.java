package dev.resilience.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkFolderTest {

    @TempDir Path parent;

    @Test
    void filesLeftByAKilledProcessAreRemovedAtTheNextStart() throws IOException {
        // given the folder of a process that was killed mid-backup, with its password and stderr files
        Path dead = Files.createDirectories(parent.resolve(".resilience-work").resolve(Long.MAX_VALUE + "-1"));
        Files.writeString(dead.resolve("resilience-backup-1.pgpass"), "*:*:*:postgres:secret\n");
        Files.writeString(dead.resolve("resilience-backup-2.stderr"), "pg_dump: error");

        WorkFolder work = WorkFolder.in(parent);

        assertThat(dead).doesNotExist();
        assertThat(work.path()).exists().hasParent(parent.resolve(".resilience-work"));
    }

    @Test
    void theEmptyFolderOfAProcessThatEndedCleanlyIsRemovedToo() throws IOException {
        Path ended = Files.createDirectories(parent.resolve(".resilience-work").resolve(Long.MAX_VALUE + "-2"));

        WorkFolder.in(parent);

        assertThat(ended).doesNotExist();
    }

    @Test
    void theWorkFolderAndWhatItHoldsAreOwnerOnly() throws IOException {
        WorkFolder work = WorkFolder.in(parent);

        assertThat(mode(parent.resolve(".resilience-work"))).isEqualTo("rwx------");
        assertThat(mode(work.path())).isEqualTo("rwx------");
        assertThat(mode(work.newFile("x", ".stderr"))).isEqualTo("rw-------");
        assertThat(mode(work.newDirectory("dump"))).isEqualTo("rwx------");
    }

    @Test
    void aSecondInstanceInTheSameProcessKeepsTheFirstOnesFiles() throws IOException {
        WorkFolder first = WorkFolder.in(parent);
        Path live = first.newFile("resilience-backup-", ".pgpass");

        WorkFolder second = WorkFolder.in(parent);

        assertThat(second.path()).isEqualTo(first.path());
        assertThat(live).exists();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
