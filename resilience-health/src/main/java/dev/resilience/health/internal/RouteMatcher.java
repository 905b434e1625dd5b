package dev.resilience.health.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Maps a raw request path to one of the registered route templates ({@code /api/orders/{id}}), so
 * that metrics are tagged with the template and never with the raw path. A {@code {name}} segment
 * matches any one non-empty segment; when several templates match, the one with the most literal
 * segments wins ({@code /orders/export} before {@code /orders/{id}}). Trailing slashes are ignored.
 * Immutable and thread-safe; matching allocates nothing.
 */
public final class RouteMatcher {

    private final String[] templates;
    private final String[][] segments;
    private final int[] literals;

    public RouteMatcher(List<String> routes) {
        int n = routes.size();
        templates = new String[n];
        segments = new String[n][];
        literals = new int[n];
        for (int i = 0; i < n; i++) {
            String route = routes.get(i);
            if (route == null || !route.startsWith("/")) {
                throw new IllegalArgumentException("routes must start with '/': " + route);
            }
            templates[i] = route;
            List<String> parts = new ArrayList<>();
            for (String part : route.split("/", -1)) { // empty segments are skipped
                if (!part.isEmpty()) {
                    boolean variable = part.startsWith("{") && part.endsWith("}");
                    if (!variable && (part.contains("{") || part.contains("}"))) {
                        throw new IllegalArgumentException("routes may hold variables only as whole segments: " + route);
                    }
                    parts.add(variable ? null : part);
                    if (!variable) {
                        literals[i]++;
                    }
                }
            }
            segments[i] = parts.toArray(new String[0]);
        }
    }

    /** The template matching {@code path}, or null. */
    public @Nullable String match(String path) {
        int best = -1;
        for (int i = 0; i < templates.length; i++) {
            if ((best < 0 || literals[i] > literals[best]) && matches(segments[i], path)) {
                best = i;
            }
        }
        return best < 0 ? null : templates[best];
    }

    private static boolean matches(String[] expected, String path) {
        int length = path.length();
        int pos = 0;
        for (String segment : expected) {
            while (pos < length && path.charAt(pos) == '/') {
                pos++;
            }
            if (pos >= length) {
                return false;
            }
            int end = path.indexOf('/', pos);
            if (end < 0) {
                end = length;
            }
            if (segment != null && (segment.length() != end - pos || !path.startsWith(segment, pos))) {
                return false;
            }
            pos = end;
        }
        while (pos < length) {
            if (path.charAt(pos++) != '/') {
                return false;
            }
        }
        return true;
    }
}
