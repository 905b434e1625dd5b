package dev.resilience.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgPassFileTest {

    @TempDir Path parent;

    @Test
    void isOwnerOnlyInThePrivateWorkFolderEscapesSeparatorsAndIsDeletedOnClose() throws IOException {
        WorkFolder work = WorkFolder.in(parent);
        Path path;
        try (PgPassFile file = PgPassFile.create(work, "back:up", "pa:ss\\word".toCharArray())) {
            path = file.path();

            assertThat(path.getParent()).isEqualTo(work.path());

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
            assertThat(Files.readString(path)).isEqualTo("*:*:*:back\\:up:pa\\:ss\\\\word\n");
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void redactorRemovesThePasswordAndPasswordAssignments() {
        Redaction redactor = new Redaction("s3cr3t!");

        String out = redactor.redact("connection to \"s3cr3t!\" failed; password=other PGPASSWORD: more");

        assertThat(out).doesNotContain("s3cr3t!").doesNotContain("other").doesNotContain("more")
                .isEqualTo("connection to \"***\" failed; password=*** PGPASSWORD: ***");
    }
}
