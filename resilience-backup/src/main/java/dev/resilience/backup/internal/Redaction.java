package dev.resilience.backup.internal;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Removes secrets from tool output and exception messages before they reach logs or errors. */
public final class Redaction {

    private static final Pattern ASSIGNMENTS = Pattern.compile("(?i)(password|pgpassword)(\\s*[=:]\\s*)\\S+");
    private final @Nullable String secret;

    /** A redactor that also removes every occurrence of {@code secret} (null or empty for none). */
    public Redaction(@Nullable String secret) {
        this.secret = secret == null || secret.isEmpty() ? null : secret;
    }

    /** {@code text} with the secret and any {@code password=...} assignment replaced by {@code ***}. */
    public String redact(String text) {
        String out = secret == null ? text : text.replace(secret, "***");
        return ASSIGNMENTS.matcher(out).replaceAll("$1$2***");
    }
}
