package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BackupRetentionTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private final BackupRetention policy = BackupRetention.ofDefaults();

    /** Two years of daily 02:00 backups, with a gap of 10 days, failed days (no backup) and a corrupt one. */
    private static List<BackupManifest> twoYears() {
        List<BackupManifest> all = new ArrayList<>();
        LocalDate day = LocalDate.of(2024, 1, 1);
        for (int i = 0; i < 730; i++, day = day.plusDays(1)) {
            boolean gap = i >= 700 && i < 710;          // an outage of ten days, three weeks before the end
            boolean failedDay = i % 13 == 5;             // backup failed: nothing stored
            if (gap || failedDay) {
                continue;
            }
            Instant at = day.atTime(2, 0).toInstant(ZoneOffset.UTC);
            all.add(i == 725 ? Manifests.at(at, Manifests.failed(at.plusSeconds(3600)), 1000) : Manifests.at(at));
        }
        return all;
    }

    @Test
    void keepsTheNewestBackupOfEachOfTheNewestSevenDaysFourWeeksAndTwelveMonths() {
        List<BackupManifest> all = twoYears();

        PruneResult result = policy.plan(all, false);

        Set<LocalDate> keptDays = result.kept().stream().map(m -> m.startedAt().atZone(UTC).toLocalDate())
                .collect(Collectors.toSet());
        List<BackupManifest> good = all.stream().filter(m -> !m.verification().status().equals(VerificationStatus.FAILED)).toList();
        List<LocalDate> goodDays = good.stream().map(m -> m.startedAt().atZone(UTC).toLocalDate()).sorted().toList();
        assertThat(keptDays).containsAll(goodDays.subList(goodDays.size() - 7, goodDays.size()));
        Set<String> keptMonths = result.kept().stream().map(m -> m.startedAt().atZone(UTC).getYear() + "-"
                + m.startedAt().atZone(UTC).getMonthValue()).collect(Collectors.toSet());
        assertThat(keptMonths).hasSize(12);
        Set<String> keptWeeks = result.kept().stream().map(m -> m.startedAt().atZone(UTC))
                .map(t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))
                .collect(Collectors.toSet());
        assertThat(keptWeeks.size()).isGreaterThanOrEqualTo(4);
        assertThat(result.kept().size()).isLessThanOrEqualTo(7 + 4 + 12 + 2);
        assertThat(result.kept().size() + result.deleted().size()).isEqualTo(all.size());
    }

    @Test
    void monthlyBackupIsTheNewestOfItsMonth() {
        PruneResult result = policy.plan(twoYears(), false);

        BackupManifest keptInMarch2025 = result.kept().stream()
                .filter(m -> m.startedAt().atZone(UTC).getYear() == 2025 && m.startedAt().atZone(UTC).getMonthValue() == 3)
                .findFirst().orElseThrow();

        assertThat(keptInMarch2025.startedAt().atZone(UTC).toLocalDate()).isEqualTo(LocalDate.of(2025, 3, 31));
    }

    @Test
    void pruningTwiceDeletesNothingTheSecondTime() {
        PruneResult first = policy.plan(twoYears(), false);

        PruneResult second = policy.plan(first.kept(), false);

        assertThat(second.deleted()).isEmpty();
        assertThat(second.kept()).isEqualTo(first.kept());
    }

    @Test
    void neverDeletesTheNewestVerifiedGoodBackupEvenOutsideEveryBucket() {
        List<BackupManifest> all = new ArrayList<>();
        Instant start = Instant.parse("2024-01-01T02:00:00Z");
        all.add(Manifests.at(start, Manifests.passed(start.plusSeconds(600)), 1000));
        for (int i = 1; i <= 30; i++) {
            all.add(Manifests.at(start.plusSeconds(86400L * i)));
        }
        BackupRetention onlyOneDaily = BackupRetention.of(1, 0, 0, UTC);

        PruneResult result = onlyOneDaily.plan(all, false);

        assertThat(result.kept()).extracting(BackupManifest::id)
                .containsExactly(all.get(0).id(), all.get(30).id());
    }

    @Test
    void aBackupThatFailedVerificationFillsNoSlot() {
        Instant day1 = Instant.parse("2026-03-01T02:00:00Z");
        Instant day2 = day1.plusSeconds(86400);
        Instant day3 = day2.plusSeconds(86400);
        BackupManifest good1 = Manifests.at(day1);
        BackupManifest corrupt = Manifests.at(day2, Manifests.failed(day2.plusSeconds(60)), 1000);
        BackupManifest good3 = Manifests.at(day3);

        PruneResult result = BackupRetention.of(2, 0, 0, UTC).plan(List.of(good1, corrupt, good3), false);

        assertThat(result.kept()).containsExactly(good1, good3);
        assertThat(result.deleted()).containsExactly(corrupt);
    }

    @Test
    void keepsTheNewestBackupEvenWhenAllCountsAreZero() {
        BackupManifest only = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));

        PruneResult result = BackupRetention.of(0, 0, 0, UTC).plan(List.of(only), false);

        assertThat(result.kept()).containsExactly(only);
    }

    @Test
    void bucketsFollowThePolicyTimeZone() {
        // 23:30 UTC on the 1st is already the 2nd in Berlin: two backups on one Berlin day
        BackupManifest late = Manifests.at(Instant.parse("2026-03-01T23:30:00Z"));
        BackupManifest next = Manifests.at(Instant.parse("2026-03-02T01:00:00Z"));

        PruneResult berlin = BackupRetention.of(2, 0, 0, ZoneId.of("Europe/Berlin")).plan(List.of(late, next), false);
        PruneResult utc = BackupRetention.of(2, 0, 0, UTC).plan(List.of(late, next), false);

        assertThat(berlin.deleted()).containsExactly(late);
        assertThat(utc.deleted()).isEmpty();
    }

    @Test
    void rejectsNegativeCountsNamingTheParameter() {
        assertThatThrownBy(() -> BackupRetention.of(7, -1, 12, UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weekly must be at least 0, was -1");
    }

    @Test
    void aTierSaysWhichSlotKeepsTheBackup() {
        BackupManifest monthEnd = Manifests.at(Instant.parse("2026-02-28T02:00:00Z"));   // a Saturday
        BackupManifest sunday = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        BackupManifest monday = Manifests.at(Instant.parse("2026-03-02T02:00:00Z"));
        BackupManifest tuesday = Manifests.at(Instant.parse("2026-03-03T02:00:00Z"));

        Map<String, BackupTier> tiers = policy.tiers(List.of(monthEnd, sunday, monday, tuesday));

        assertThat(tiers).containsEntry(tuesday.id(), BackupTier.MONTHLY)    // newest of March
                .containsEntry(monday.id(), BackupTier.DAILY)                   // a day of this week
                .containsEntry(sunday.id(), BackupTier.WEEKLY)                  // newest of last ISO week
                .containsEntry(monthEnd.id(), BackupTier.MONTHLY);              // newest of February
        assertThat(policy.tierFor(Instant.parse("2026-03-04T02:00:00Z"), List.of(monthEnd, sunday)))
                .isEqualTo(BackupTier.MONTHLY);
        assertThat(BackupRetention.of(7, 0, 0, UTC).tierFor(Instant.parse("2026-03-04T02:00:00Z"), List.of(sunday)))
                .isEqualTo(BackupTier.DAILY);
    }

    @Test
    void theNewestBackupNotProvedCorruptIsKeptEvenWithNoSlots() {
        Instant day1 = Instant.parse("2026-03-01T02:00:00Z");
        Instant day2 = day1.plusSeconds(86400);
        BackupManifest good = Manifests.at(day1);
        BackupManifest corrupt = Manifests.at(day2, Manifests.failed(day2.plusSeconds(60)), 1000);

        PruneResult result = BackupRetention.of(0, 0, 0, UTC).plan(List.of(good, corrupt), false);

        assertThat(result.kept()).containsExactly(good, corrupt);
    }

    @Test
    void aBackupWhoseCheckWasInconclusiveKeepsItsSlot() {
        Instant day1 = Instant.parse("2026-03-01T02:00:00Z");
        Instant day2 = day1.plusSeconds(86400);
        BackupManifest unchecked = Manifests.at(day1, new Verification(VerificationStatus.INCONCLUSIVE, day2,
                "no encryption key is configured", false, null), 1000);
        BackupManifest newest = Manifests.at(day2);

        PruneResult result = BackupRetention.of(2, 0, 0, UTC).plan(List.of(unchecked, newest), false);

        assertThat(result.deleted()).isEmpty();
    }
}
