package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only a backup proved corrupt is marked FAILED; a check that could not run proves nothing. */
class VerificationOutcomeTest {

    private static final Instant DAY1 = Instant.parse("2026-03-01T02:00:00Z");
    private final MemoryStore store = new MemoryStore();
    private final List<BackupEvent> events = new ArrayList<>();
    private final PostgresBackup withoutKey = PostgresBackup.builder().database("db").store(store)
            .retention(BackupRetention.of(2, 0, 0, ZoneId.of("UTC"))).clock(new ManualClock())
            .listener(events::add).build();

    private static BackupManifest encrypted(Instant at) {
        BackupManifest m = Manifests.at(at);
        return new BackupManifest(m.id(), m.database(), m.serverVersion(), m.pgDumpVersion(), m.startedAt(),
                m.finishedAt(), m.duration(), m.sizeBytes(), m.sha256(), m.format(), m.compression(), "k1", m.tier(),
                m.artifacts(), null, null);
    }

    @Test
    void verifyingWithoutTheKeyIsInconclusiveAndPruneKeepsTheBackup() {
        BackupManifest older = encrypted(DAY1);
        store.saveManifest(older);
        store.saveManifest(encrypted(DAY1.plus(Duration.ofDays(1))));

        assertThatThrownBy(() -> withoutKey.verify(older.id()))
                .isInstanceOf(BackupException.class).isNotInstanceOf(BackupVerificationException.class)
                .hasMessageContaining("no encryption key is configured");
        PruneResult pruned = withoutKey.prune(false);

        assertThat(withoutKey.find(older.id()).verification().status()).isNotEqualTo(VerificationStatus.FAILED);
        assertThat(pruned.deleted()).isEmpty();
        assertThat(store.manifests()).hasSize(2);
        assertThat(events).filteredOn(e -> e.type() == BackupEvent.Type.VERIFY).singleElement()
                .satisfies(e -> assertThat(e.success()).isFalse());
    }

    @Test
    void aMissingArtifactIsProvedCorrupt() {
        BackupManifest m = Manifests.at(DAY1);
        store.saveManifest(m);

        assertThatThrownBy(() -> withoutKey.verify(m.id())).isInstanceOf(BackupVerificationException.class);

        assertThat(withoutKey.find(m.id()).verification().status()).isEqualTo(VerificationStatus.FAILED);
    }

    @Test
    void aManifestWhoseTopLevelChecksumContradictsItsDumpIsProvedCorrupt() {
        BackupManifest m = Manifests.at(DAY1);
        store.artifacts.put(m.dump().name(), new byte[0]);
        BackupManifest contradicting = new BackupManifest(m.id(), m.database(), m.serverVersion(), m.pgDumpVersion(),
                m.startedAt(), m.finishedAt(), m.duration(), m.sizeBytes() + 1, "ff", m.format(), m.compression(), null,
                m.tier(), m.artifacts(), null, null);
        store.saveManifest(contradicting);

        assertThatThrownBy(() -> withoutKey.verify(m.id())).isInstanceOf(BackupVerificationException.class)
                .hasMessageContaining("contradicts itself");
    }

    @Test
    void anArtifactOfAnotherSizeThanTheManifestSaysIsProvedCorrupt() {
        byte[] bytes = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        BackupManifest base = Manifests.at(DAY1);
        BackupArtifact dump = new BackupArtifact(BackupArtifact.Kind.DUMP, base.id() + ".dump", 4, sha);
        store.artifacts.put(dump.name(), bytes);
        store.saveManifest(new BackupManifest(base.id(), "db", "15.0", "pg_dump 15.0", DAY1, DAY1, Duration.ZERO, 4, sha,
                DumpFormat.CUSTOM, "gzip:6", null, BackupTier.DAILY, List.of(dump), null, null));

        assertThatThrownBy(() -> withoutKey.verify(base.id())).isInstanceOf(BackupVerificationException.class)
                .hasMessageContaining("size mismatch");
    }
}
