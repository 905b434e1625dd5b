package dev.resilience.ratelimit.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one script call after the script itself ({@code numkeys}, the keys, then the
 * arguments), already encoded in the Redis protocol by the calling thread: Lettuce's single I/O thread,
 * which every limiter's calls share, then only copies bytes instead of encoding each argument.
 *
 * <p>Built by {@link Writer}; immutable once built, and thread-safe.
 */
public final class ScriptArguments {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NOTHING = {};

    private final byte[] resp;
    private final int length;
    private final int count;
    private final int firstKeyOffset;
    private final int firstKeyLength;

    private ScriptArguments(byte[] resp, int length, int count, int firstKeyOffset, int firstKeyLength) {
        this.resp = resp;
        this.length = length;
        this.count = count;
        this.firstKeyOffset = firstKeyOffset;
        this.firstKeyLength = firstKeyLength;
    }

    /** How many protocol arguments these are ({@code numkeys} included, the script excluded). */
    int count() {
        return count;
    }

    /** The encoded arguments: {@code resp[0, length)}. */
    byte[] resp() {
        return resp;
    }

    int length() {
        return length;
    }

    /** The first key, for Cluster slot routing (a fresh buffer on every call). */
    ByteBuffer firstKey() {
        return ByteBuffer.wrap(resp, firstKeyOffset, firstKeyLength).slice();
    }

    /** The protocol form of a bulk string: {@code $<length>\r\n<bytes>\r\n}. */
    static byte[] bulk(byte[] value) {
        Writer writer = new Writer(value.length + 16);
        writer.bulk(value, 0, value.length);
        return Arrays.copyOf(writer.buffer, writer.position);
    }

    /** The protocol form of a bulk string holding {@code value} in UTF-8. */
    public static byte[] bulk(String value) {
        return bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes arguments in order: {@link #numberOfKeys}, the keys (each as a head, the caller's key and a
     * tail, so constant parts are encoded once), then arguments. Not thread-safe: one per call.
     */
    public static final class Writer {
        private byte[] buffer;
        private int position;
        private int count;
        private int firstKeyOffset = -1;
        private int firstKeyLength;

        /** A writer expecting about {@code size} bytes (it grows if needed). */
        public Writer(int size) {
            this.buffer = new byte[Math.max(16, size)];
        }

        /** {@code numkeys}: the first argument after the script. */
        public Writer numberOfKeys(int keys) {
            return integer(keys);
        }

        /** A key made of {@code head}, {@code middle} (UTF-8 bytes) and {@code tail}. */
        public Writer key(byte[] head, byte[] middle, byte[] tail) {
            int length = head.length + middle.length + tail.length;
            header(length);
            if (firstKeyOffset < 0) {
                firstKeyOffset = position;
                firstKeyLength = length;
            }
            raw(head, 0, head.length);
            raw(middle, 0, middle.length);
            raw(tail, 0, tail.length);
            raw(CRLF, 0, 2);
            count++;
            return this;
        }

        /** An integer argument, in decimal. */
        public Writer integer(long value) {
            if (value >= 0 && value < 10) {
                ensure(7);
                buffer[position++] = '$';
                buffer[position++] = '1';
                buffer[position++] = '\r';
                buffer[position++] = '\n';
                buffer[position++] = (byte) ('0' + value);
                buffer[position++] = '\r';
                buffer[position++] = '\n';
                count++;
                return this;
            }
            byte[] digits = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            return bulk(digits, 0, digits.length);
        }

        /** An empty string argument. */
        public Writer empty() {
            return bulk(NOTHING, 0, 0);
        }

        /** Arguments encoded once beforehand (see {@link ScriptArguments#bulk(String)}), {@code arguments} of them. */
        public Writer encoded(byte[] resp, int arguments) {
            raw(resp, 0, resp.length);
            count += arguments;
            return this;
        }

        /** The arguments written so far. */
        public ScriptArguments build() {
            return new ScriptArguments(buffer, position, count, Math.max(0, firstKeyOffset), firstKeyLength);
        }

        private Writer bulk(byte[] value, int offset, int length) {
            header(length);
            raw(value, offset, length);
            raw(CRLF, 0, 2);
            count++;
            return this;
        }

        private void header(int length) {
            ensure(12);
            buffer[position++] = '$';
            if (length < 10) {
                buffer[position++] = (byte) ('0' + length);
            } else {
                byte[] digits = Integer.toString(length).getBytes(StandardCharsets.US_ASCII);
                raw(digits, 0, digits.length);
            }
            buffer[position++] = '\r';
            buffer[position++] = '\n';
        }

        private void raw(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, position, length);
            position += length;
        }

        private void ensure(int more) {
            if (position + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
            }
        }
    }
}
