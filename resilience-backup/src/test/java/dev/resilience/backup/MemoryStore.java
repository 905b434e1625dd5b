package dev.resilience.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link BackupStore} for unit tests, with a settable free-space ratio. */
final class MemoryStore implements BackupStore {

    final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
    final Map<String, BackupManifest> manifests = new ConcurrentHashMap<>();
    volatile double free = 0.5;

    @Override
    public PendingArtifact create(String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        return new PendingArtifact() {
            @Override
            public OutputStream output() {
                return bytes;
            }

            @Override
            public void commit() {
                artifacts.put(name, bytes.toByteArray());
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public InputStream open(String name) throws IOException {
        byte[] bytes = artifacts.get(name);
        if (bytes == null) {
            throw new java.nio.file.NoSuchFileException(name);
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public void saveManifest(BackupManifest manifest) {
        manifests.put(manifest.id(), manifest);
    }

    @Override
    public List<BackupManifest> manifests() {
        return new ArrayList<>(manifests.values());
    }

    @Override
    public void delete(BackupManifest manifest) {
        manifests.remove(manifest.id());
        manifest.artifacts().forEach(a -> artifacts.remove(a.name()));
    }

    @Override
    public OptionalDouble freeSpaceRatio() {
        return OptionalDouble.of(free);
    }

    @Override
    public String describe() {
        return "memory";
    }
}
