package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassFileTest {

    @TempDir Path dir;

    private Path file(String text, String mode) throws Exception {
        Path file = dir.resolve("pgpass");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String lookup(Path file, String host, int port, String db, String user) {
        return PassFile.lookup(file, host, port, db, user).map(String::new).orElse(null);
    }

    @Test
    void theFirstMatchingLineWinsWithWildcardsAndEscapes() throws Exception {
        Path file = file("# comment\n"
                + "db.example:5432:orders:backup:first\n"
                + "*:*:*:backup:p\\:w\\\\d:tail\n", "rw-------");

        assertThat(lookup(file, "db.example", 5432, "orders", "backup")).isEqualTo("first");
        assertThat(lookup(file, "other", 6000, "billing", "backup")).isEqualTo("p:w\\d:tail");
        assertThat(lookup(file, "other", 6000, "billing", "someone")).isNull();
    }

    @Test
    void localhostMatchesTheDefaultSocketFolderAndAnotherFolderOnlyByItsPath() throws Exception {
        Path file = file("localhost:5432:*:backup:local\n/srv/pg:5432:*:backup:custom\n", "rw-------");

        assertThat(lookup(file, "/var/run/postgresql", 5432, "orders", "backup")).isEqualTo("local");
        assertThat(lookup(file, "/srv/pg", 5432, "orders", "backup")).isEqualTo("custom");
        assertThat(lookup(file, "/elsewhere", 5432, "orders", "backup")).isNull();
    }

    @Test
    void aFileTheGroupOrOthersCanReadIsIgnoredLikeLibpqDoes() throws Exception {
        Path file = file("*:*:*:*:secret\n", "rw-r-----");

        assertThat(lookup(file, "db", 5432, "orders", "backup")).isNull();
    }

    @Test
    void aMissingFileGivesNoPassword() {
        assertThat(lookup(dir.resolve("absent"), "db", 5432, "orders", "backup")).isNull();
    }
}
