package dev.resilience.pool.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that goes into logs and exception messages. Stateless, thread-safe.
 *
 * <p>In SQL, the string constant after the word {@code PASSWORD} ({@code CREATE/ALTER ROLE ...
 * PASSWORD}, {@code ENCRYPTED PASSWORD}, {@code OPTIONS (password ...)} of a user mapping), or after
 * {@code password =} (a comparison with a column of that name), becomes
 * {@code '***'}, in every form PostgreSQL accepts: {@code '...'} (with doubled quotes), {@code E'...'}
 * (with backslash escapes), {@code U&'...'}, {@code N'...'}, {@code B'...'}, {@code X'...'},
 * {@code $$...$$} and {@code $tag$...$tag$}, and a constant continued on the next line
 * ({@code 'abc'<newline>'def'}). When the end of a constant is uncertain the mask reaches further, never
 * less far: a backslash always escapes the next character, and a constant with no end (cut off SQL)
 * is masked to the end of the text. A {@code password=} setting inside the text (a connection string
 * passed to {@code dblink} or {@code postgres_fdw}) is masked up to the next space, quote, {@code &} or
 * {@code ;}.
 */
public final class Redaction {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern SQL_KEYWORD = Pattern.compile("(?i)(?<![\\w$])password(?![\\w$])");
    private static final Pattern SQL_SETTING = Pattern.compile("(?i)(password\\s*=\\s*)[^\\s'&;]+");
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$(?:[A-Za-z_\\u0080-\\uffff][\\w\\u0080-\\uffff]*)?\\$");
    private static final String MASK = "'***'";

    private Redaction() {
    }

    /** The JDBC URL with the value of any {@code password=} parameter replaced by {@code ***}. */
    public static String url(String url) {
        return URL_PASSWORD.matcher(url).replaceAll("$1***");
    }

    /** The SQL text with every string constant after {@code PASSWORD} replaced by {@code '***'} (see above). */
    public static String sql(String sql) {
        StringBuilder out = null;
        int copied = 0;
        Matcher keyword = SQL_KEYWORD.matcher(sql);
        int from = 0;
        while (from < sql.length() && keyword.find(from)) {
            int start = skipSpaces(sql, keyword.end());
            if (start < sql.length() && sql.charAt(start) == '=') {
                start = skipSpaces(sql, start + 1); // WHERE password = '...'
            }
            int end = constantEnd(sql, start);
            if (end < 0) {
                from = keyword.end();
                continue;
            }
            if (out == null) {
                out = new StringBuilder(sql.length());
            }
            out.append(sql, copied, start).append(MASK);
            copied = end;
            from = end;
        }
        String masked = out == null ? sql : out.append(sql, copied, sql.length()).toString();
        return SQL_SETTING.matcher(masked).replaceAll("$1***");
    }

    private static int skipSpaces(String sql, int i) {
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The end (exclusive) of the string constant at {@code start}, or -1 when none starts there. */
    private static int constantEnd(String sql, int start) {
        if (start >= sql.length()) {
            return -1;
        }
        char c = sql.charAt(start);
        if (c == '$') {
            Matcher tag = DOLLAR_TAG.matcher(sql).region(start, sql.length());
            if (!tag.lookingAt()) {
                return -1; // a parameter such as $1: nothing to mask
            }
            int close = sql.indexOf(tag.group(), tag.end());
            return close < 0 ? sql.length() : close + tag.group().length();
        }
        int quote = start;
        if (c == 'U' || c == 'u') {
            quote = sql.startsWith("&'", start + 1) ? start + 2 : -1;
        } else if ("EeNnBbXx".indexOf(c) >= 0) {
            quote = start + 1 < sql.length() && sql.charAt(start + 1) == '\'' ? start + 1 : -1;
        } else if (c != '\'') {
            return -1;
        }
        if (quote < 0) {
            return -1;
        }
        int end = quotedEnd(sql, quote);
        // a constant continued after whitespace holding a newline is the same constant
        while (end < sql.length()) {
            int next = skipSpaces(sql, end);
            if (next < sql.length() && sql.charAt(next) == '\'' && sql.substring(end, next).indexOf('\n') >= 0) {
                end = quotedEnd(sql, next);
            } else {
                break;
            }
        }
        return end;
    }

    /** The end (exclusive) of the quoted text opening at {@code quote}; the text's end when it never closes. */
    private static int quotedEnd(String sql, int quote) {
        int i = quote + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }
}
