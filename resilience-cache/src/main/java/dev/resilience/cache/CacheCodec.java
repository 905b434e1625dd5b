package dev.resilience.cache;

import java.nio.charset.StandardCharsets;

/**
 * Turns cached values into bytes for Redis and back: the serialization SPI of {@link RedisCache}. Shipped:
 * {@link #bytes()}, {@link #strings()} and, with Jackson on the class path,
 * {@link dev.resilience.cache.jackson.JacksonCodec}. An implementation must be thread-safe; a decoding error
 * is treated as a miss (the value is loaded again), never passed to the caller.
 *
 * @param <V> the value type
 */
public interface CacheCodec<V> {

    /**
     * The bytes stored for {@code value} (never null).
     *
     * @param value the value to store, never null (an absence is stored without the codec)
     * @return the bytes, never null
     */
    byte[] encode(V value);

    /**
     * The value {@link #encode(Object)} turned into {@code bytes}.
     *
     * @param bytes what {@link #encode(Object)} wrote, possibly by another instance of the service
     * @return the value
     * @throws RuntimeException when the bytes cannot be read (the cache then loads the value again)
     */
    V decode(byte[] bytes);

    /**
     * Stores byte arrays as they are.
     *
     * @return a codec that copies nothing: the stored array is the cached one
     */
    static CacheCodec<byte[]> bytes() {
        return new CacheCodec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return value;
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return bytes;
            }

            @Override
            public String toString() {
                return "CacheCodec.bytes()";
            }
        };
    }

    /**
     * Stores strings as UTF-8.
     *
     * @return a codec of UTF-8 text
     */
    static CacheCodec<String> strings() {
        return new CacheCodec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }

            @Override
            public String toString() {
                return "CacheCodec.strings()";
            }
        };
    }
}
