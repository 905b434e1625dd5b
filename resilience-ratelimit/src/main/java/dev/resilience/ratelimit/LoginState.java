package dev.resilience.ratelimit;

/**
 * What a {@link LoginStore} answered: blocked or not, the time until the attempt could be made, the
 * failures still allowed before a block (the fewest of any subject), and per subject the time its
 * block still runs (0 when not blocked).
 */
record LoginState(boolean blocked, long retryAfterNanos, long remaining, long[] blockLeftNanos) {
}
