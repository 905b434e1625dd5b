package dev.resilience.backup;

import dev.resilience.core.internal.Arguments;
import java.util.Objects;

/**
 * How pg_dump compresses the archive. {@code zstd} and {@code lz4} need pg_dump 16 or newer; on an
 * older pg_dump a backup falls back to {@code gzip} at level 6, logs a warning saying so, and the
 * manifest records the compression actually used. Immutable and thread-safe.
 *
 * <p>Default: {@link #ofDefaults()}, zstd level 3 (fast with a good ratio), hence gzip 6 on pg_dump 15.
 */
public final class Compression {

    /** The compression algorithm. */
    public enum Method {
        /** No compression: the fastest dump, the largest file. */
        NONE,
        /** gzip, which every pg_dump can do. */
        GZIP,
        /** zstd (pg_dump 16 and newer): smaller and faster than gzip. */
        ZSTD,
        /** lz4 (pg_dump 16 and newer): the fastest, larger than zstd. */
        LZ4
    }

    private final Method method;
    private final int level;

    private Compression(Method method, int level) {
        this.method = method;
        this.level = level;
    }

    /**
     * zstd at level 3, falling back to gzip 6 where pg_dump is older than 16.
     *
     * @return zstd level 3
     */
    public static Compression ofDefaults() {
        return zstd(3);
    }

    /**
     * No compression.
     *
     * @return no compression
     */
    public static Compression none() {
        return new Compression(Method.NONE, 0);
    }

    /**
     * gzip at {@code level}.
     *
     * @param level 1 (fast) to 9 (small)
     * @return gzip at that level
     * @throws IllegalArgumentException unless {@code level} is 1..9
     */
    public static Compression gzip(int level) {
        return new Compression(Method.GZIP, checkLevel("gzip", level, 9));
    }

    /**
     * zstd at {@code level} (pg_dump 16+, else gzip 6).
     *
     * @param level 1 (fast) to 22 (small)
     * @return zstd at that level
     * @throws IllegalArgumentException unless {@code level} is 1..22
     */
    public static Compression zstd(int level) {
        return new Compression(Method.ZSTD, checkLevel("zstd", level, 22));
    }

    /**
     * lz4 (pg_dump 16+, else gzip 6).
     *
     * @return lz4
     */
    public static Compression lz4() {
        return new Compression(Method.LZ4, 1);
    }

    /**
     * Parses {@code none}, {@code gzip[:level]}, {@code zstd[:level]} or {@code lz4}.
     *
     * @param text the text, as the CLI's {@code --compress} takes it
     * @return the compression
     * @throws IllegalArgumentException naming the text when it is none of these
     */
    public static Compression parse(String text) {
        Objects.requireNonNull(text, "compression");
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split(":", 2);
        try {
            switch (parts[0]) {
                case "none": return none();
                case "gzip": return gzip(parts.length > 1 ? Integer.parseInt(parts[1]) : 6);
                case "zstd": return zstd(parts.length > 1 ? Integer.parseInt(parts[1]) : 3);
                case "lz4": return lz4();
                default: break;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("compression level must be a number: '" + text + "'", e);
        }
        throw new IllegalArgumentException("compression must be none, gzip[:1-9], zstd[:1-22] or lz4: '" + text + "'");
    }

    /**
     * The algorithm.
     *
     * @return the method
     */
    public Method method() {
        return method;
    }

    /**
     * The level.
     *
     * @return the level; 0 for {@link Method#NONE} and {@link Method#LZ4}
     */
    public int level() {
        return level;
    }

    /**
     * The compression a pg_dump of {@code pgDumpMajor} can do: this one, or gzip 6 for zstd/lz4 before 16.
     *
     * @param pgDumpMajor the major version of pg_dump, such as 15
     * @return this compression, or gzip 6 when pg_dump cannot do it
     */
    public Compression supportedBy(int pgDumpMajor) {
        boolean needs16 = method == Method.ZSTD || method == Method.LZ4;
        return needs16 && pgDumpMajor < 16 ? gzip(6) : this;
    }

    /**
     * The pg_dump option selecting this compression for a pg_dump of {@code pgDumpMajor}.
     *
     * @param pgDumpMajor the major version of pg_dump
     * @return the option, such as {@code --compress=zstd:3}
     */
    public String pgDumpOption(int pgDumpMajor) {
        if (pgDumpMajor < 16) {
            return "--compress=" + (method == Method.NONE ? 0 : level);
        }
        return "--compress=" + (method == Method.NONE ? "none" : toString());
    }

    private static int checkLevel(String method, int level, int max) {
        return Arguments.between(method + " level", level, 1, max);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compression other && other.method == method && other.level == level;
    }

    @Override
    public int hashCode() {
        return method.hashCode() * 31 + level;
    }

    /** {@code none}, {@code gzip:6}, {@code zstd:3}, {@code lz4}: the form {@link #parse} reads. */
    @Override
    public String toString() {
        switch (method) {
            case NONE: return "none";
            case LZ4: return "lz4";
            default: return method.name().toLowerCase(java.util.Locale.ROOT) + ":" + level;
        }
    }
}
