package dev.resilience.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The header your trusted proxies write the client's address into, which {@link ClientIpResolver}
 * reads; every other forwarding header is ignored, whatever a client sends in it.
 *
 * <ul>
 *   <li>{@link #xForwardedFor()}: {@code X-Forwarded-For}, the list nginx
 *       ({@code proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for}), HAProxy
 *       ({@code option forwardfor}) and the cloud load balancers (AWS ALB, Google Cloud, Azure) append to;</li>
 *   <li>{@link #forwarded()}: the standard {@code Forwarded} header (RFC 7239), its {@code for=}
 *       parameters, for proxies configured to append to it;</li>
 *   <li>{@link #singleValue(String)}: a header the proxy nearest to this server overwrites with the
 *       address it saw, such as nginx's {@code X-Real-IP $remote_addr} or Cloudflare's
 *       {@code CF-Connecting-IP}.</li>
 * </ul>
 *
 * <p>Choose the header your proxy <em>writes</em>, not one it merely passes on: a proxy that appends
 * to {@code X-Forwarded-For} forwards a client's own {@code Forwarded} header untouched, so reading
 * that one would let the client choose its key. Immutable and thread-safe.
 */
public final class ProxyHeader {

    private final String name;
    private final boolean list;
    private final boolean forwardedSyntax;

    private ProxyHeader(String name, boolean list, boolean forwardedSyntax) {
        this.name = name;
        this.list = list;
        this.forwardedSyntax = forwardedSyntax;
    }

    /**
     * {@code X-Forwarded-For}: comma-separated addresses, each proxy appending the address it saw.
     *
     * @return the header, read right to left past the trusted proxies
     */
    public static ProxyHeader xForwardedFor() {
        return new ProxyHeader("X-Forwarded-For", true, false);
    }

    /**
     * {@code Forwarded} (RFC 7239): comma-separated elements whose {@code for=} parameter each proxy appends.
     *
     * @return the header, read right to left past the trusted proxies
     */
    public static ProxyHeader forwarded() {
        return new ProxyHeader("Forwarded", true, true);
    }

    /**
     * A header holding exactly one address, set (not appended to) by the proxy that connects to this
     * server, for example {@code X-Real-IP}.
     *
     * @param name the header's name, such as {@code X-Real-IP}
     * @return the header
     * @throws IllegalArgumentException when the name is blank or is {@code X-Forwarded-For} or
     *     {@code Forwarded} (those are lists: use {@link #xForwardedFor()} or {@link #forwarded()})
     */
    public static ProxyHeader singleValue(String name) {
        if (name == null || name.isBlank() || !name.trim().chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new IllegalArgumentException("singleValue header name must be a non-blank HTTP header name: " + name);
        }
        String lower = name.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("x-forwarded-for") || lower.equals("forwarded")) {
            throw new IllegalArgumentException("singleValue header name must not be a list header (use xForwardedFor() or forwarded()): " + name);
        }
        return new ProxyHeader(name.trim(), false, false);
    }

    /** {@return the header's name} */
    public String name() {
        return name;
    }

    /**
     * The hops the header names, leftmost first, each the address text of one hop ("" for a hop that
     * names none); null when the header is malformed as a whole (a single-value header sent twice or
     * holding a list). Empty when absent.
     */
    @Nullable List<String> hops(RateLimitRequest request) {
        List<String> lines = request.headers(name);
        List<String> hops = new ArrayList<>();
        if (!list) {
            if (lines.size() > 1 || (lines.size() == 1 && lines.get(0).indexOf(',') >= 0)) {
                return null;
            }
            hops.addAll(lines);
            return hops;
        }
        for (String line : lines) {
            if (!forwardedSyntax) {
                for (String element : line.split(",", -1)) { // X-Forwarded-For knows no quoting
                    hops.add(element.trim());
                }
                continue;
            }
            for (String element : splitFromTheRight(line)) {
                hops.add(forParameter(element));
            }
        }
        return hops;
    }

    /** The {@code for=} value of a {@code Forwarded} element, unquoted; "" when it has none or several. */
    private static String forParameter(String element) {
        String found = null;
        for (String pair : split(element, ';')) {
            String trimmed = pair.trim();
            if (trimmed.regionMatches(true, 0, "for=", 0, 4)) {
                if (found != null) {
                    return "";
                }
                found = trimmed.substring(4).trim();
            }
        }
        if (found == null) {
            return "";
        }
        if (found.length() >= 2 && found.startsWith("\"") && found.endsWith("\"")) {
            found = found.substring(1, found.length() - 1);
        }
        return found;
    }

    /**
     * Splits a {@code Forwarded} line at commas outside double-quoted strings (RFC 7239 quoted values may
     * hold any), reading from the right: the elements the proxies appended are well formed, so a quote the
     * client left open in its part of the line (to the left) can only swallow the client's own elements,
     * never the proxies'.
     */
    private static List<String> splitFromTheRight(String line) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int end = line.length();
        for (int i = line.length() - 1; i >= 0; i--) {
            char c = line.charAt(i);
            if (c == '"' && !escaped(line, i)) {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                parts.add(0, line.substring(i + 1, end));
                end = i;
            }
        }
        parts.add(0, line.substring(0, end));
        return parts;
    }

    /** True when the character at {@code index} follows an odd number of backslashes (a quoted-pair). */
    private static boolean escaped(String text, int index) {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** Splits at {@code separator} outside double-quoted strings (RFC 7239 quoted values may hold any). */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProxyHeader header && header.name.equalsIgnoreCase(name) && header.list == list;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name.toLowerCase(Locale.ROOT), list);
    }

    @Override
    public String toString() {
        return name;
    }
}
