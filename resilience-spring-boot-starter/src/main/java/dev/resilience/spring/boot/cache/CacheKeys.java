package dev.resilience.spring.boot.cache;

/**
 * Turns Spring cache keys into the strings {@link dev.resilience.cache.RedisCache} keys are made of, in a
 * stable way: a {@link CharSequence} as it is; any other key by its {@code toString()} when its class declares
 * one (numbers, enums, {@code UUID}s, records, {@link org.springframework.cache.interceptor.SimpleKey}, which
 * gives {@code SimpleKey [7, EUR]} for a method with several parameters and {@code SimpleKey []} for one without,
 * in Spring 6.2: use a key expression where the key must outlive a Spring upgrade);
 * a key whose class inherits {@code Object.toString()} (an identity hash, different on every instance and
 * restart) is refused. So the String {@code "7"} and the Integer {@code 7} are the same key, as in Spring Data
 * Redis. Thread-safe.
 */
final class CacheKeys {

    private static final ClassValue<Boolean> DECLARES_TO_STRING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("toString").getDeclaringClass() != Object.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    private CacheKeys() {
    }

    /**
     * The string key of {@code key}.
     *
     * @param cache the cache's name, for the message
     * @param key   a Spring cache key
     * @return the key as a string
     * @throws IllegalArgumentException when the key's class does not declare {@code toString()}, or the key is empty
     */
    static String toString(String cache, Object key) {
        String text;
        if (key instanceof CharSequence chars) {
            text = chars.toString();
        } else if (DECLARES_TO_STRING.get(key.getClass())) {
            text = key.toString();
        } else {
            throw new IllegalArgumentException("Cache " + cache + " cannot use a key of " + key.getClass().getName()
                    + ": it has no toString() of its own, so it would not name the same entry on another instance;"
                    + " give it one or use a key expression, e.g. @Cacheable(key = \"#id\")");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("Cache " + cache + " cannot use an empty key");
        }
        return text;
    }
}
