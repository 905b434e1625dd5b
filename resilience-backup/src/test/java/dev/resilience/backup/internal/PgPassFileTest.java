package dev.resilience.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class PgPassFileTest {

    @Test
    void isOwnerOnlyEscapesSeparatorsAndIsDeletedOnClose() throws IOException {
        Path path;
        try (PgPassFile file = PgPassFile.create("back:up", "pa:ss\\word".toCharArray())) {
            path = file.path();

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
            assertThat(Files.readString(path)).isEqualTo("*:*:*:back\\:up:pa\\:ss\\\\word\n");
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void redactorRemovesThePasswordAndPasswordAssignments() {
        Redactor redactor = new Redactor("s3cr3t!");

        String out = redactor.redact("connection to \"s3cr3t!\" failed; password=other PGPASSWORD: more");

        assertThat(out).doesNotContain("s3cr3t!").doesNotContain("other").doesNotContain("more")
                .isEqualTo("connection to \"***\" failed; password=*** PGPASSWORD: ***");
    }
}
