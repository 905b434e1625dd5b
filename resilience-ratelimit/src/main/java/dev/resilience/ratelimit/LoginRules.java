package dev.resilience.ratelimit;

/**
 * The figures of a {@link LoginProtection}: per subject the failures allowed in the window, the block
 * duration, and the longest block as a multiple of it (1 when blocks do not grow).
 */
// Suppressed: the arrays are per-subject figures, never compared or hashed (these records only carry them
// between the stores and LoginProtection), and arrays keep the per-attempt path free of boxing.
@SuppressWarnings("ArrayRecordComponent")
record LoginRules(int[] maxFailures, long windowNanos, long blockNanos, int maxBlockMultiple) {

    /** Blocks grow within a day: a subject's strikes are forgotten a day after its last block. */
    static final long STRIKE_MEMORY_NANOS = 86_400_000_000_000L;

    /** These rules with {@code share} of each maximum, at least one failure. */
    LoginRules withShare(double share) {
        int[] shared = new int[maxFailures.length];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = (int) Math.max(1, Math.floor(maxFailures[i] * share));
        }
        return new LoginRules(shared, windowNanos, blockNanos, maxBlockMultiple);
    }

    /** How long the {@code strikes}-th block within a day lasts: doubling from the block duration. */
    long blockNanos(int strikes) {
        return blockNanos * Math.min(maxBlockMultiple, 1L << Math.min(strikes - 1, 30));
    }

    /** How long a subject's state matters after it was last touched. */
    long memoryNanos() {
        return Math.max(windowNanos, maxBlockMultiple > 1 ? Math.max(STRIKE_MEMORY_NANOS, blockNanos * maxBlockMultiple) : blockNanos);
    }
}
