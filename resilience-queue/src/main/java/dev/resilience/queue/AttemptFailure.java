package dev.resilience.queue;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One failed attempt in a task's history, as stored: when (the database's clock), the attempt number,
 * the error's class name (or {@code lease expired}), its message and its stack trace truncated to
 * {@value #MAX_STACK} characters.
 *
 * @param at      when the failure was recorded
 * @param attempt the attempt number, from 1
 * @param error   the exception's class name, or {@code lease expired}
 * @param message the exception's message, may be null
 * @param stack   the truncated stack trace, may be null
 */
public record AttemptFailure(Instant at, int attempt, String error, @Nullable String message,
                             @Nullable String stack) {

    /** How many characters of a stack trace are stored. */
    public static final int MAX_STACK = 4000;
    /** How many characters of a message are stored. */
    public static final int MAX_MESSAGE = 1000;
}
