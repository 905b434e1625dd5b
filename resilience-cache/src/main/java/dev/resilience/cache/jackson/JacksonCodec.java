package dev.resilience.cache.jackson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.cache.CacheCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * JSON through a Jackson {@link ObjectMapper} (configure the mapper, e.g. with {@code JavaTimeModule}, before
 * passing it). Immutable and thread-safe (as the mapper is).
 *
 * @param <V> the value type
 */
public final class JacksonCodec<V> implements CacheCodec<V> {

    private final ObjectMapper mapper;
    private final JavaType type;

    private JacksonCodec(ObjectMapper mapper, JavaType type) {
        this.mapper = mapper;
        this.type = type;
    }

    /**
     * A codec for values of {@code type}.
     *
     * @param mapper the mapper, configured as the service needs (thread-safe once configured)
     * @param type the class of the values
     * @param <V> the value type
     * @return a codec writing JSON as UTF-8 bytes
     */
    public static <V> JacksonCodec<V> of(ObjectMapper mapper, Class<V> type) {
        Objects.requireNonNull(mapper, "mapper");
        return new JacksonCodec<>(mapper, mapper.constructType(Objects.requireNonNull(type, "type")));
    }

    /**
     * A codec for a generic type, e.g. {@code new TypeReference<List<Order>>() {}}.
     *
     * @param mapper the mapper, configured as the service needs (thread-safe once configured)
     * @param type the generic type of the values
     * @param <V> the value type
     * @return a codec writing JSON as UTF-8 bytes
     */
    public static <V> JacksonCodec<V> of(ObjectMapper mapper, TypeReference<V> type) {
        Objects.requireNonNull(mapper, "mapper");
        return new JacksonCodec<>(mapper, mapper.constructType(Objects.requireNonNull(type, "type")));
    }

    @Override
    public byte[] encode(V value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a " + type + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public V decode(byte[] bytes) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a " + type + " from JSON", e);
        }
    }

    @Override
    public String toString() {
        return "JacksonCodec{" + type + "}";
    }
}
