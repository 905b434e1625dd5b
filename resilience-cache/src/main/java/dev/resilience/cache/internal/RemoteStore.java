package dev.resilience.cache.internal;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the cache needs from Redis, as blocking calls that throw on any failure (the cache wraps each in
 * its circuit breaker and never lets the failure reach a caller). Keys are full Redis keys. Implementations
 * are thread-safe.
 */
public interface RemoteStore extends AutoCloseable {

    /** The stored bytes, or null when the key does not exist. */
    byte[] get(String key) throws Exception;

    /** Stores {@code value} for {@code ttlMillis}, and adds {@code member} to each of {@code tagKeys} (kept {@code tagTtlMillis}). */
    void set(String key, byte[] value, long ttlMillis, String member, Collection<String> tagKeys, long tagTtlMillis) throws Exception;

    /** {@code SET key token NX PX}: true when this caller got the lease. */
    boolean tryLease(String key, String token, long ttlMillis) throws Exception;

    /** Deletes the lease only while it still holds {@code token}: one that ran out may be another's by now. */
    void releaseLease(String key, String token) throws Exception;

    /** Deletes the keys (on a Cluster, split by slot). */
    void delete(Collection<String> keys) throws Exception;

    /** The members of a tag set. */
    List<String> members(String tagKey) throws Exception;

    /** Removes these members from a tag set. */
    void removeMembers(String tagKey, Collection<String> members) throws Exception;

    /** The counter's value (0 when absent). */
    long counter(String key) throws Exception;

    /** Increments the counter; answers the new value. */
    long increment(String key) throws Exception;

    /** Publishes {@code message} on {@code channel}. */
    void publish(String channel, String message) throws Exception;

    /** Listens to {@code channel} (re-subscribed after reconnects); the future fails when subscribing failed. */
    CompletableFuture<?> subscribe(String channel, Consumer<String> listener);

    /** Whether the server answered the latest background probe. */
    boolean isReachable();

    /** Hosts and ports, never credentials. */
    String description();

    @Override
    void close();
}
