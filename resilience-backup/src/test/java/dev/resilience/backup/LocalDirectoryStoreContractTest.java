package dev.resilience.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a local folder. */
class LocalDirectoryStoreContractTest extends BackupStoreContract {

    @TempDir Path dir;

    @Override
    BackupStore store() throws IOException {
        return LocalDirectoryStore.of(Files.createTempDirectory(dir, "store"));
    }

    @Override
    void writeRawManifest(BackupStore store, String id, String content) throws IOException {
        Files.writeString(((LocalDirectoryStore) store).directory().resolve(id + LocalDirectoryStore.MANIFEST_SUFFIX), content);
    }
}
