package dev.resilience.ratelimit.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run by {@code EVALSHA}: one round trip per call. When the server does not know the
 * script (restarted, failed over, {@code SCRIPT FLUSH}), the call is repeated once with {@code EVAL},
 * which also caches the script again, so the caller never sees {@code NOSCRIPT}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisScript {

    /** The rate-limit decision script. */
    public static final RedisScript RATE_LIMIT = load("ratelimit.lua");

    private final String body;
    private final String sha;

    private RedisScript(String body) {
        this.body = body;
        this.sha = sha1(body);
    }

    /** Runs the script; the future fails only when Redis does (connection, timeout, script error). */
    public CompletableFuture<List<Object>> run(RedisScriptingAsyncCommands<String, String> redis, String[] keys, String[] args) {
        CompletableFuture<List<Object>> first = redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
        return first.exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RedisNoScriptException) {
                return redis.<List<Object>>eval(body, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** The SHA-1 digest {@code EVALSHA} uses. */
    public String sha() {
        return sha;
    }

    /**
     * The script in {@code resource}, next to this class.
     *
     * @throws IllegalStateException when there is no such resource
     */
    public static RedisScript load(String resource) {
        try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new RedisScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + resource, e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
