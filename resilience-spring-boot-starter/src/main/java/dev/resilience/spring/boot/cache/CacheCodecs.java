package dev.resilience.spring.boot.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.cache.CacheCodec;
import dev.resilience.cache.jackson.JacksonCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ConfigurableObjectInputStream;
import org.springframework.util.ClassUtils;

/**
 * The codecs of the Spring caches: Java serialization by default (as Spring Data Redis's own
 * {@code RedisCacheManager}), JSON of a {@code value-type} through the application's Jackson
 * {@link ObjectMapper} when set. Jackson's classes are touched only for a cache with a value type, so the
 * starter runs without Jackson otherwise. Thread-safe.
 */
final class CacheCodecs {

    private static final boolean JACKSON = ClassUtils.isPresent("com.fasterxml.jackson.databind.ObjectMapper",
            CacheCodecs.class.getClassLoader());

    private final @Nullable ClassLoader classLoader;
    private final Supplier<@Nullable Object> objectMapper;

    /**
     * @param classLoader  the application's class loader, for Java serialization
     * @param objectMapper the application's {@code ObjectMapper}, or null (then a new one with the modules found)
     */
    CacheCodecs(@Nullable ClassLoader classLoader, Supplier<@Nullable Object> objectMapper) {
        this.classLoader = classLoader;
        this.objectMapper = objectMapper;
    }

    /**
     * The codec for a cache.
     *
     * @param property  the value-type property, for the message
     * @param valueType the JSON type, or null for Java serialization
     * @return the codec
     * @throws IllegalArgumentException when a value type is set but Jackson is not on the class path
     */
    CacheCodec<Object> codec(String property, @Nullable Class<?> valueType) {
        if (valueType == null) {
            return new Serialized(classLoader);
        }
        if (!JACKSON) {
            throw new IllegalArgumentException(property + " needs Jackson (com.fasterxml.jackson.core:jackson-databind) on the class path");
        }
        return Json.codec(objectMapper.get(), valueType);
    }

    /** Only loaded for a cache with a value type. */
    private static final class Json {
        @SuppressWarnings("unchecked")
        static CacheCodec<Object> codec(@Nullable Object mapper, Class<?> type) {
            ObjectMapper objectMapper = mapper instanceof ObjectMapper m ? m : new ObjectMapper().findAndRegisterModules();
            return (CacheCodec<Object>) (CacheCodec<?>) JacksonCodec.of(objectMapper, type);
        }
    }

    /** Java serialization; the values must be {@link java.io.Serializable}. */
    private static final class Serialized implements CacheCodec<Object> {
        private final @Nullable ClassLoader classLoader;

        Serialized(@Nullable ClassLoader classLoader) {
            this.classLoader = classLoader;
        }

        @Override
        public byte[] encode(Object value) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serialize a " + value.getClass().getName()
                        + " (cached values must be Serializable, or set the cache's value-type for JSON)", e);
            }
            return bytes.toByteArray();
        }

        @Override
        public Object decode(byte[] bytes) {
            try (ConfigurableObjectInputStream in = new ConfigurableObjectInputStream(new ByteArrayInputStream(bytes), classLoader)) {
                return in.readObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("a cached value's class is missing: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "Java serialization";
        }
    }
}
