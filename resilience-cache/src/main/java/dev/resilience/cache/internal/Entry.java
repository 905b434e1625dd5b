package dev.resilience.cache.internal;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A cached value with its timing, as kept in the local tier (decoded) and, through {@link #encode} and
 * {@link #decode}, in Redis: a version byte, a flags byte, fresh-until and stale-until (epoch ms) and the
 * load duration (ms, for early refresh), then the codec's bytes. Immutable.
 *
 * @param <V> the value type
 */
public final class Entry<V> {

    private static final byte FORMAT = 1;
    private static final byte ABSENT = 1;
    private static final int HEADER = 1 + 1 + 8 + 8 + 4;

    private final @Nullable V value;
    private final boolean absent;
    private final long freshUntil;
    private final long staleUntil;
    private final int loadMillis;

    public Entry(@Nullable V value, boolean absent, long freshUntil, long staleUntil, int loadMillis) {
        this.value = value;
        this.absent = absent;
        this.freshUntil = freshUntil;
        this.staleUntil = staleUntil;
        this.loadMillis = loadMillis;
    }

    /** The value; null when {@link #absent()}. */
    public @Nullable V value() {
        return value;
    }

    /**
     * The value of an entry that is not {@link #absent()}.
     *
     * @return the value, never null
     * @throws IllegalStateException if the entry is a cached absence
     */
    public V presentValue() {
        V present = value;
        if (present == null) {
            throw new IllegalStateException("a cached absence has no value");
        }
        return present;
    }

    /** True when the loader found no value (a cached absence). */
    public boolean absent() {
        return absent;
    }

    public long freshUntil() {
        return freshUntil;
    }

    public long staleUntil() {
        return staleUntil;
    }

    public int loadMillis() {
        return loadMillis;
    }

    public boolean isFresh(long nowMillis) {
        return nowMillis < freshUntil;
    }

    /** The bytes stored in Redis, with {@code payload} (null when absent) after the header. */
    public static byte[] encode(Entry<?> entry, byte @Nullable [] payload) {
        int length = payload == null ? 0 : payload.length;
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + length);
        buffer.put(FORMAT).put(entry.absent ? ABSENT : 0).putLong(entry.freshUntil).putLong(entry.staleUntil).putInt(entry.loadMillis);
        if (payload != null) {
            buffer.put(payload);
        }
        return buffer.array();
    }

    /** The header of {@code bytes}, with the payload bytes in place of the value; null when the format is unknown. */
    public static @Nullable Entry<byte[]> decode(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != FORMAT) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        boolean absent = buffer.get() == ABSENT;
        long fresh = buffer.getLong();
        long stale = buffer.getLong();
        int load = buffer.getInt();
        byte[] payload = new byte[bytes.length - HEADER];
        buffer.get(payload);
        return new Entry<>(absent ? null : payload, absent, fresh, stale, load);
    }
}
