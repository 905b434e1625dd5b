package dev.resilience.redis.internal;

import java.util.regex.Pattern;

/**
 * Removes credentials from URI text before it reaches a log line or an exception message, whatever
 * shape the text has: {@code redis://user:pw@host}, {@code rediss://:pw@host}, a URI without its
 * scheme ({@code :pw@host:6379}), a password containing {@code /} or {@code @}, or a query parameter
 * such as {@code ?password=pw}. It errs on the side of hiding too much. Stateless.
 */
public final class UriRedaction {

    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&;](?:password|pass|pwd|secret|token|auth)=)[^&;#]*");

    private UriRedaction() {
    }

    /** {@code text} with the user information and secret query parameters replaced by {@code ***}. */
    public static String redact(String text) {
        String redacted = SECRET_PARAMETER.matcher(text).replaceAll("$1***");
        int at = redacted.lastIndexOf('@');
        if (at >= 0) {
            // everything from the scheme (or the start) to the last '@' may be user information
            int scheme = redacted.indexOf("://");
            int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
            redacted = redacted.substring(0, start) + "***" + redacted.substring(at);
        }
        return redacted;
    }
}
