package dev.resilience.cache.internal;

import dev.resilience.redis.RedisConnection;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RemoteStore} on a {@link RedisConnection}; each call is bounded by the connection's command timeout. */
public final class LettuceStore implements RemoteStore {

    private static final Logger log = LoggerFactory.getLogger(LettuceStore.class);

    private static final String RELEASE_LEASE =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final RedisConnection<String, byte[]> connection;
    private final boolean owned;

    /** Uses {@code connection}; closes it on {@link #close()} when {@code owned}. */
    public LettuceStore(RedisConnection<String, byte[]> connection, boolean owned) {
        this.connection = connection;
        this.owned = owned;
    }

    private RedisClusterAsyncCommands<String, byte[]> redis() {
        RedisClusterAsyncCommands<String, byte[]> commands = connection.commandsIfConnected();
        if (commands == null) {
            throw new IllegalStateException("not connected to Redis at " + connection.description());
        }
        return commands;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            // Lettuce completes every command within the connection's command timeout
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception ? (Exception) cause : e;
        }
    }

    @Override
    public byte[] get(String key) throws Exception {
        return await(redis().get(key));
    }

    @Override
    public void set(String key, byte[] value, long ttlMillis, String member, Collection<String> tagKeys, long tagTtlMillis) throws Exception {
        RedisClusterAsyncCommands<String, byte[]> redis = redis();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        sent.add(redis.set(key, value, SetArgs.Builder.px(ttlMillis)).toCompletableFuture());
        byte[] memberBytes = member.getBytes(StandardCharsets.UTF_8);
        for (String tagKey : tagKeys) {
            sent.add(redis.sadd(tagKey, memberBytes).toCompletableFuture());
            sent.add(redis.pexpire(tagKey, tagTtlMillis).toCompletableFuture());
        }
        await(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
    }

    @Override
    public boolean tryLease(String key, String token, long ttlMillis) throws Exception {
        return "OK".equals(await(redis().set(key, token.getBytes(StandardCharsets.UTF_8), SetArgs.Builder.nx().px(ttlMillis))));
    }

    @Override
    public void releaseLease(String key, String token) throws Exception {
        await(redis().eval(RELEASE_LEASE, ScriptOutputType.INTEGER, new String[] {key}, token.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void delete(Collection<String> keys) throws Exception {
        if (!keys.isEmpty()) {
            await(redis().del(keys.toArray(String[]::new)));
        }
    }

    @Override
    public List<String> members(String tagKey) throws Exception {
        List<String> members = new ArrayList<>();
        for (byte[] member : await(redis().smembers(tagKey))) {
            members.add(new String(member, StandardCharsets.UTF_8));
        }
        return members;
    }

    @Override
    public void removeMembers(String tagKey, Collection<String> members) throws Exception {
        if (!members.isEmpty()) {
            await(redis().srem(tagKey, members.stream().map(m -> m.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new)));
        }
    }

    @Override
    public long counter(String key) throws Exception {
        byte[] value = await(redis().get(key));
        return value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    }

    @Override
    public long increment(String key) throws Exception {
        return await(redis().incr(key));
    }

    @Override
    public void publish(String channel, String message) throws Exception {
        await(redis().publish(channel, message.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public CompletableFuture<?> subscribe(String channel, Consumer<String> listener) {
        return connection.connectPubSub().thenCompose(pubSub -> {
            pubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, byte[] message) {
                    if (channel.equals(from)) {
                        listener.accept(new String(message, StandardCharsets.UTF_8));
                    }
                }
            });
            return pubSub.async().subscribe(channel);
        }).whenComplete((ok, error) -> {
            if (error != null) {
                // retried by the cache's coherence task; until then the local tier's TTL bounds staleness
                log.debug("Cannot subscribe to {} on Redis at {} yet", channel, connection.description(), error);
            }
        });
    }

    @Override
    public boolean isReachable() {
        return connection.isReachable();
    }

    @Override
    public String description() {
        return connection.description();
    }

    @Override
    public void close() {
        if (owned) {
            connection.close();
        }
    }
}
