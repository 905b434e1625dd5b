package dev.resilience.pool.internal;

import java.util.regex.Pattern;

/** Removes secrets from text that goes into logs and exception messages. Stateless, thread-safe. */
public final class Redaction {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern SQL_PASSWORD = Pattern.compile("(?i)(password\\s+)'(?:[^']|'')*'");

    private Redaction() {
    }

    /** The JDBC URL with the value of any {@code password=} parameter replaced by {@code ***}. */
    public static String url(String url) {
        return url == null ? null : URL_PASSWORD.matcher(url).replaceAll("$1***");
    }

    /** The SQL text with {@code PASSWORD '...'} literals (CREATE/ALTER ROLE) replaced by {@code '***'}. */
    public static String sql(String sql) {
        return sql == null ? null : SQL_PASSWORD.matcher(sql).replaceAll("$1'***'");
    }
}
