package dev.resilience.backup;

import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Grandfather-father-son retention: keep the newest backup of each of the newest N days, N ISO weeks
 * and N calendar months that have backups (in the policy's time zone), and delete the rest. Whatever
 * the counts, the newest backup, the newest backup not proved corrupt and the newest backup whose
 * verification passed are always kept. Only a backup proved corrupt ({@link VerificationStatus#FAILED})
 * loses its daily, weekly or monthly slot; one whose check could not conclude
 * ({@link VerificationStatus#INCONCLUSIVE}) keeps it. Buckets come from the
 * manifests' timestamps, never from file names, so gaps and failed days simply leave a bucket empty.
 *
 * <p>Defaults ({@link #ofDefaults()}): 7 daily, 4 weekly, 12 monthly, UTC: a week of fine-grained
 * restore points, a month of weekly ones and a year of monthly ones. Immutable and thread-safe.
 */
public final class BackupRetention {

    private final int daily;
    private final int weekly;
    private final int monthly;
    private final ZoneId zone;

    private BackupRetention(int daily, int weekly, int monthly, ZoneId zone) {
        this.daily = daily;
        this.weekly = weekly;
        this.monthly = monthly;
        this.zone = zone;
    }

    /**
     * 7 daily, 4 weekly, 12 monthly, in UTC.
     *
     * @return the default policy
     */
    public static BackupRetention ofDefaults() {
        return new BackupRetention(7, 4, 12, ZoneId.of("UTC"));
    }

    /**
     * A policy keeping {@code daily}, {@code weekly} and {@code monthly} backups, bucketed in {@code zone}.
     *
     * @param daily   how many newest daily backups to keep
     * @param weekly  how many weeks keep their newest backup
     * @param monthly how many months keep their newest backup
     * @param zone    the zone days, weeks and months are counted in
     * @return the policy
     * @throws IllegalArgumentException when a count is negative
     */
    public static BackupRetention of(int daily, int weekly, int monthly, ZoneId zone) {
        Arguments.atLeast("daily", daily, 0);
        Arguments.atLeast("weekly", weekly, 0);
        Arguments.atLeast("monthly", monthly, 0);
        return new BackupRetention(daily, weekly, monthly, Objects.requireNonNull(zone, "zone"));
    }

    /**
     * Daily backups kept.
     *
     * @return 0 or more
     */
    public int daily() {
        return daily;
    }

    /**
     * Weeks whose newest backup is kept.
     *
     * @return 0 or more
     */
    public int weekly() {
        return weekly;
    }

    /**
     * Months whose newest backup is kept.
     *
     * @return 0 or more
     */
    public int monthly() {
        return monthly;
    }

    /**
     * The zone days, weeks and months are counted in.
     *
     * @return the zone
     */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The tier a backup started at {@code startedAt} gets given the earlier backups: why this policy
     * would keep it (see {@link #tiers}); {@link BackupTier#DAILY} when it fills no slot.
     *
     * @param startedAt when the new backup started
     * @param earlier   the backups before it
     * @return the tier
     */
    public BackupTier tierFor(java.time.Instant startedAt, Collection<BackupManifest> earlier) {
        // only the id and the start time matter to tiers(); the rest is filled to keep the manifest well formed
        BackupManifest candidate = new BackupManifest("\0candidate", "", "", "", startedAt, startedAt, Duration.ZERO, 0,
                "", DumpFormat.CUSTOM, "", null, BackupTier.DAILY, List.of(), null, Verification.NONE);
        List<BackupManifest> all = new ArrayList<>(earlier);
        all.add(candidate);
        return tiers(all).getOrDefault(candidate.id(), BackupTier.DAILY);
    }

    /**
     * Why this policy keeps each backup that fills a slot, by id: {@link BackupTier#MONTHLY} when it is
     * the newest backup of one of the kept months, else {@link BackupTier#WEEKLY} for one of the kept
     * weeks, else {@link BackupTier#DAILY}. Backups that fill no slot are absent. Pure.
     *
     * @param backups the catalog
     * @return the tier of each kept backup, by id
     */
    public Map<String, BackupTier> tiers(Collection<BackupManifest> backups) {
        List<BackupManifest> candidates = newestFirst(backups).stream()
                .filter(m -> m.verification().status() != VerificationStatus.FAILED).toList();
        Map<String, BackupTier> tiers = new HashMap<>();
        newestPerBucket(candidates, daily, t -> t.toLocalDate().toString()).forEach(id -> tiers.put(id, BackupTier.DAILY));
        newestPerBucket(candidates, weekly, BackupRetention::weekKey).forEach(id -> tiers.put(id, BackupTier.WEEKLY));
        newestPerBucket(candidates, monthly, BackupRetention::monthKey).forEach(id -> tiers.put(id, BackupTier.MONTHLY));
        return tiers;
    }

    /**
     * Splits {@code backups} into kept and deleted (both oldest first). Pure: touches no store.
     *
     * @param backups the catalog
     * @param dryRun  recorded in the result, for the caller to report
     * @return the split
     */
    public PruneResult plan(Collection<BackupManifest> backups, boolean dryRun) {
        List<BackupManifest> newestFirst = newestFirst(backups);
        Set<String> keep = new HashSet<>(tiers(backups).keySet());
        if (!newestFirst.isEmpty()) {
            keep.add(newestFirst.get(0).id());
        }
        newestFirst.stream().filter(m -> m.verification().passed()).findFirst().ifPresent(m -> keep.add(m.id()));
        newestFirst.stream().filter(m -> m.verification().status() != VerificationStatus.FAILED).findFirst()
                .ifPresent(m -> keep.add(m.id()));
        List<BackupManifest> kept = new ArrayList<>();
        List<BackupManifest> deleted = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            BackupManifest m = newestFirst.get(i);
            (keep.contains(m.id()) ? kept : deleted).add(m);
        }
        return new PruneResult(kept, deleted, dryRun);
    }

    private static List<BackupManifest> newestFirst(Collection<BackupManifest> backups) {
        List<BackupManifest> newestFirst = new ArrayList<>(backups);
        newestFirst.sort(Comparator.comparing(BackupManifest::startedAt).thenComparing(BackupManifest::id).reversed());
        return newestFirst;
    }

    private List<String> newestPerBucket(List<BackupManifest> newestFirst, int count,
                                         Function<ZonedDateTime, String> bucketOf) {
        Set<String> buckets = new LinkedHashSet<>();
        List<String> ids = new ArrayList<>();
        for (BackupManifest m : newestFirst) {
            if (buckets.size() == count) {
                break;
            }
            if (buckets.add(bucketOf.apply(m.startedAt().atZone(zone)))) {
                ids.add(m.id());
            }
        }
        return ids;
    }

    private static String weekKey(ZonedDateTime t) {
        return t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }

    private static String monthKey(ZonedDateTime t) {
        return t.getYear() + "-" + t.getMonthValue();
    }

    @Override
    public String toString() {
        return "BackupRetention{daily=" + daily + ", weekly=" + weekly + ", monthly=" + monthly + ", zone=" + zone + "}";
    }
}
