package dev.resilience.ratelimit;

/**
 * What a {@link LoginStore} answered: blocked or not, the time until the attempt could be made, the
 * failures still allowed before a block (the fewest of any subject), and per subject the time its
 * block still runs (0 when not blocked).
 */
// Suppressed: the arrays are per-subject figures, never compared or hashed (these records only carry them
// between the stores and LoginProtection), and arrays keep the per-attempt path free of boxing.
@SuppressWarnings("ArrayRecordComponent")
record LoginState(boolean blocked, long retryAfterNanos, long remaining, long[] blockLeftNanos) {
}
