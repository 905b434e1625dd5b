package dev.resilience.ratelimit;

import dev.resilience.ratelimit.internal.RedisScript;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * {@link LoginStore} in Redis: each operation is one {@code EVALSHA} of {@code login.lua}, using the
 * Redis server's time. All login keys share the hash tag {@code {<prefix>}} so one script can touch
 * every subject of a login on a Redis Cluster (they live on one node; login traffic is light).
 * Operations throw when Redis fails, within the backend's command timeout. Thread-safe.
 */
final class RedisLoginStore implements LoginStore {

    private static final RedisScript LOGIN = RedisScript.load("login.lua");

    private final RedisBackend backend;
    private final String tag;
    private final LoginRules rules;

    RedisLoginStore(RedisBackend backend, String keyPrefix, LoginRules rules) {
        this.backend = backend;
        this.tag = "{" + keyPrefix + "}";
        this.rules = rules;
    }

    @Override
    public LoginState reserve(String[] keys, String token) {
        return run("reserve", keys, token);
    }

    @Override
    public LoginState fail(String[] keys, String token) {
        return run("fail", keys, token);
    }

    @Override
    public void succeed(String[] keys, String token) {
        run("succeed", keys, token);
    }

    private LoginState run(String op, String[] subjects, String token) {
        String[] keys = new String[2 * subjects.length];
        String[] args = new String[6 + subjects.length];
        for (int i = 0; i < subjects.length; i++) {
            keys[2 * i] = tag + subjects[i] + ":f";
            keys[2 * i + 1] = tag + subjects[i] + ":b";
            args[6 + i] = Integer.toString(rules.maxFailures()[i]);
        }
        args[0] = op;
        args[1] = token;
        args[2] = Long.toString(rules.windowNanos() / 1_000);
        args[3] = Long.toString(rules.blockNanos() / 1_000);
        args[4] = Integer.toString(rules.maxBlockMultiple());
        args[5] = Long.toString(LoginRules.STRIKE_MEMORY_NANOS / 1_000);
        List<Object> reply;
        try {
            reply = backend.run(LOGIN, keys, args).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
        long[] left = new long[subjects.length];
        for (int i = 0; i < left.length && 3 + i < reply.size(); i++) {
            left[i] = micros(reply, 3 + i) * 1_000;
        }
        return new LoginState(micros(reply, 0) == 1, micros(reply, 1) * 1_000, micros(reply, 2), left);
    }

    private static long micros(List<Object> reply, int index) {
        return ((Number) reply.get(index)).longValue();
    }
}
