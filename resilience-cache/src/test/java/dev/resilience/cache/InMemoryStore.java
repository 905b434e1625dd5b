package dev.resilience.cache;

import dev.resilience.cache.internal.RemoteStore;
import dev.resilience.core.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A stand-in for Redis in unit tests, shared by several caches as Redis is by several instances: values
 * with expiry on the test's clock, sets, counters and pub/sub delivered at once. {@link #down(boolean)}
 * makes every call fail as a dead Redis would; {@link #dropMessages(boolean)} loses pub/sub messages.
 */
final class InMemoryStore {

    private final Clock clock;
    private final Map<String, byte[]> values = new HashMap<>();
    private final Map<String, Long> expiries = new HashMap<>();
    private final Map<String, Set<String>> sets = new HashMap<>();
    private final Map<String, List<Consumer<String>>> subscribers = new HashMap<>();
    private volatile boolean down;
    private volatile boolean dropMessages;
    private volatile Consumer<String> afterGet = key -> { };

    InMemoryStore(Clock clock) {
        this.clock = clock;
    }

    void down(boolean down) {
        this.down = down;
    }

    /** Runs after every GET has read its value (outside the store's lock), on the reading thread. */
    void afterGet(Consumer<String> hook) {
        this.afterGet = hook;
    }

    void dropMessages(boolean drop) {
        this.dropMessages = drop;
    }

    synchronized int keyCount() {
        expire();
        return values.size();
    }

    /** A view for one cache instance (each closes its own). */
    RemoteStore instance() {
        return new RemoteStore() {
            @Override
            public byte[] get(String key) {
                byte[] value;
                synchronized (InMemoryStore.this) {
                    check();
                    expire();
                    value = values.get(key);
                }
                afterGet.accept(key);
                return value;
            }

            @Override
            public void set(String key, byte[] value, long ttlMillis, String member, Collection<String> tagKeys, long tagTtlMillis) {
                synchronized (InMemoryStore.this) {
                    check();
                    values.put(key, value);
                    expiries.put(key, clock.currentTimeMillis() + ttlMillis);
                    for (String tagKey : tagKeys) {
                        sets.computeIfAbsent(tagKey, k -> new HashSet<>()).add(member);
                    }
                }
            }

            @Override
            public boolean tryLease(String key, String token, long ttlMillis) {
                synchronized (InMemoryStore.this) {
                    check();
                    expire();
                    if (values.containsKey(key)) {
                        return false;
                    }
                    values.put(key, token.getBytes(StandardCharsets.UTF_8));
                    expiries.put(key, clock.currentTimeMillis() + ttlMillis);
                    return true;
                }
            }

            @Override
            public void releaseLease(String key, String token) {
                synchronized (InMemoryStore.this) {
                    check();
                    expire();
                    if (Arrays.equals(values.get(key), token.getBytes(StandardCharsets.UTF_8))) {
                        values.remove(key);
                    }
                }
            }

            @Override
            public void delete(Collection<String> keys) {
                synchronized (InMemoryStore.this) {
                    check();
                    keys.forEach(values::remove);
                }
            }

            @Override
            public List<String> members(String tagKey) {
                synchronized (InMemoryStore.this) {
                    check();
                    return new ArrayList<>(sets.getOrDefault(tagKey, Set.of()));
                }
            }

            @Override
            public void removeMembers(String tagKey, Collection<String> members) {
                synchronized (InMemoryStore.this) {
                    check();
                    sets.getOrDefault(tagKey, new HashSet<>()).removeAll(members);
                }
            }

            @Override
            public long counter(String key) {
                synchronized (InMemoryStore.this) {
                    check();
                    byte[] value = values.get(key);
                    return value == null ? 0 : Long.parseLong(new String(value));
                }
            }

            @Override
            public long increment(String key) {
                synchronized (InMemoryStore.this) {
                    check();
                    long next = (values.containsKey(key) ? Long.parseLong(new String(values.get(key))) : 0) + 1;
                    values.put(key, Long.toString(next).getBytes());
                    return next;
                }
            }

            @Override
            public void publish(String channel, String message) {
                List<Consumer<String>> listeners;
                synchronized (InMemoryStore.this) {
                    check();
                    listeners = List.copyOf(subscribers.getOrDefault(channel, List.of()));
                }
                if (!dropMessages) {
                    listeners.forEach(listener -> listener.accept(message));
                }
            }

            @Override
            public CompletableFuture<?> subscribe(String channel, Consumer<String> listener) {
                synchronized (InMemoryStore.this) {
                    if (down) {
                        return CompletableFuture.failedFuture(new IllegalStateException("down"));
                    }
                    subscribers.computeIfAbsent(channel, k -> new ArrayList<>()).add(listener);
                    return CompletableFuture.completedFuture(null);
                }
            }

            @Override
            public boolean isReachable() {
                return !down;
            }

            @Override
            public String description() {
                return "memory";
            }

            @Override
            public void close() {
            }
        };
    }

    private void check() {
        if (down) {
            throw new IllegalStateException("Redis is down (test)");
        }
    }

    private void expire() {
        long now = clock.currentTimeMillis();
        expiries.entrySet().removeIf(e -> {
            if (e.getValue() <= now) {
                values.remove(e.getKey());
                return true;
            }
            return false;
        });
    }
}
