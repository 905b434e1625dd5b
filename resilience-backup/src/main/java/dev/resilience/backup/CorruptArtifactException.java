package dev.resilience.backup;

import java.io.IOException;

/**
 * A {@link BackupStore} read an artifact whose bytes are not the ones it stored (a checksum kept
 * beside the artifact, or a mirror's copy, disagrees). Verification reports the backup corrupt, as
 * for a missing artifact ({@link java.nio.file.NoSuchFileException}); any other {@link IOException}
 * from a store means the check could not run.
 */
public class CorruptArtifactException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * With a message that names the artifact and what disagreed.
     *
     * @param message names the artifact and what disagreed
     */
    public CorruptArtifactException(String message) {
        super(message);
    }
}
