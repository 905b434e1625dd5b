package dev.resilience.core.internal;

/**
 * The JSON string literal of a text, for the modules whose small HTTP handlers write JSON by hand rather
 * than carry a JSON library (the queue's admin handler; the cache's HTTP handler can use it too).
 *
 * <p>Internal: not part of the public API, may change without notice. Exported only to the sibling
 * modules. Stateless and thread-safe.
 */
public final class JsonText {

    private JsonText() {
    }

    /**
     * Appends {@code text} as a JSON string: in double quotes, with {@code "} and {@code \} escaped,
     * newline, carriage return and tab as {@code \n}, {@code \r}, {@code \t}, and every other control
     * character below U+0020 as {@code \}{@code u00XX}. Other characters, non-ASCII included, are
     * written as they are (JSON is UTF-8).
     *
     * @param text the text
     * @param out  where the literal goes
     * @return {@code out}, for chaining
     */
    public static StringBuilder appendQuoted(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /**
     * {@code text} as a JSON string literal; see {@link #appendQuoted(String, StringBuilder)}.
     *
     * @param text the text
     * @return the literal, quotes included
     */
    public static String quote(String text) {
        return appendQuoted(text, new StringBuilder(text.length() + 2)).toString();
    }
}
