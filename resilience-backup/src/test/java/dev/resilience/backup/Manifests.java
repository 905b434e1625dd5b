package dev.resilience.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Synthetic manifests for retention, health and catalog tests. */
final class Manifests {

    private Manifests() {
    }

    static BackupManifest at(Instant startedAt) {
        return at(startedAt, Verification.NONE, 1000);
    }

    static BackupManifest at(Instant startedAt, Verification verification, long size) {
        String id = "db-" + startedAt.toEpochMilli();
        return new BackupManifest(id, "db", "15.0", "pg_dump 15.0", startedAt, startedAt.plusSeconds(60),
                Duration.ofSeconds(60), size, "00", DumpFormat.CUSTOM, "gzip:6", null, BackupTier.DAILY,
                List.of(new BackupArtifact(BackupArtifact.Kind.DUMP, id + ".dump", size, "00")), null, verification);
    }

    static Verification passed(Instant at) {
        return new Verification(VerificationStatus.PASSED, at, null, false, null);
    }

    static Verification failed(Instant at) {
        return new Verification(VerificationStatus.FAILED, at, "checksum mismatch", false, null);
    }
}
