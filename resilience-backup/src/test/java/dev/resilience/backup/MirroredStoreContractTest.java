package dev.resilience.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a folder mirrored to another folder. */
class MirroredStoreContractTest extends BackupStoreContract {

    @TempDir Path dir;
    private Path primaryDir;

    @Override
    BackupStore store() throws IOException {
        primaryDir = Files.createTempDirectory(dir, "primary");
        return MirroredStore.of(LocalDirectoryStore.of(primaryDir), LocalDirectoryStore.of(Files.createTempDirectory(dir, "mirror")));
    }

    @Override
    void writeRawManifest(BackupStore store, String id, String content) throws IOException {
        Files.writeString(primaryDir.resolve(id + LocalDirectoryStore.MANIFEST_SUFFIX), content);
    }
}
