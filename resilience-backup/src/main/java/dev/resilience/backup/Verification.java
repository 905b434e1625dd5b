package dev.resilience.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of the latest verification of a backup, kept in its manifest.
 *
 * @param status     the outcome
 * @param verifiedAt when the verification finished; null when never verified
 * @param message    why it failed, or a short note; null when there is nothing to say
 * @param drill      true when a restore drill into a scratch database was part of it
 * @param restoreTime how long the drill's restore took (the measured recovery time); null without a drill
 */
public record Verification(VerificationStatus status, @Nullable Instant verifiedAt, @Nullable String message,
                           boolean drill, @Nullable Duration restoreTime) {

    /** The state of a backup that was never verified. */
    public static final Verification NONE = new Verification(VerificationStatus.UNVERIFIED, null, null, false, null);

    /**
     * Checks the status.
     *
     * @param status     the outcome
     * @param verifiedAt when the verification finished; null when never verified
     * @param message    why it failed, or a short note; null when there is nothing to say
     * @param drill      true when a restore drill into a scratch database was part of it
     * @param restoreTime how long the drill's restore took (the measured recovery time); null without a drill
     * @throws NullPointerException when status is null
     */
    public Verification {
        Objects.requireNonNull(status, "status");
    }

    /**
     * True when the verification passed.
     *
     * @return true for {@link VerificationStatus#PASSED}
     */
    public boolean passed() {
        return status == VerificationStatus.PASSED;
    }
}
