package dev.resilience.ratelimit.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A Lua script run by {@code EVALSHA}: one round trip per call. When the server does not know the
 * script (restarted, failed over, {@code SCRIPT FLUSH}), the call is repeated once with {@code EVAL},
 * which also caches the script again, so the caller never sees {@code NOSCRIPT}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisScript {

    /** The rate-limit decision script. */
    public static final RedisScript RATE_LIMIT = withPrelude("ratelimit.lua");
    /** The script adding (penalty) or giving back (refund) permits regardless of the limits. */
    public static final RedisScript ADJUST = withPrelude("adjust.lua");

    private final String body;
    private final String sha;
    /** The script's SHA-1 and its body as protocol arguments, encoded once. */
    private final byte[] shaArgument;
    private final byte[] bodyArgument;

    private RedisScript(String body) {
        this.body = body;
        this.sha = sha1(body);
        this.shaArgument = ScriptArguments.bulk(sha);
        this.bodyArgument = ScriptArguments.bulk(body);
    }

    /**
     * Runs the script with arguments encoded beforehand (see {@link ScriptArguments}); the reply goes to
     * a fresh {@code output} (one more for the {@code EVAL} after {@code NOSCRIPT}). The future fails only
     * when Redis does.
     */
    public <T> CompletableFuture<T> run(BaseRedisAsyncCommands<String, String> redis, ScriptArguments arguments,
            Supplier<? extends CommandOutput<String, String, T>> output) {
        return dispatch(redis, false, arguments, output).exceptionallyCompose(error -> {
            Throwable cause = unwrap(error);
            if (cause instanceof RedisNoScriptException) {
                return dispatch(redis, true, arguments, output);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * {@link #run(BaseRedisAsyncCommands, ScriptArguments, Supplier)} waiting in the calling thread for
     * Lettuce's own future, without a dependent stage: the reply is handled by the caller rather than by
     * the I/O thread all calls share.
     *
     * @throws CompletionException when Redis fails (the cause is Lettuce's exception)
     */
    public <T> T call(BaseRedisAsyncCommands<String, String> redis, ScriptArguments arguments,
            Supplier<? extends CommandOutput<String, String, T>> output) {
        try {
            return dispatch(redis, false, arguments, output).join();
        } catch (CompletionException e) {
            if (unwrap(e) instanceof RedisNoScriptException) {
                return dispatch(redis, true, arguments, output).join();
            }
            throw e;
        }
    }

    private <T> CompletableFuture<T> dispatch(BaseRedisAsyncCommands<String, String> redis, boolean withBody,
            ScriptArguments arguments, Supplier<? extends CommandOutput<String, String, T>> output) {
        return redis.dispatch(withBody ? CommandType.EVAL : CommandType.EVALSHA, output.get(),
                new Encoded(withBody ? bodyArgument : shaArgument, arguments)).toCompletableFuture();
    }

    /** Runs the script; the future fails only when Redis does (connection, timeout, script error). */
    public CompletableFuture<List<Object>> run(RedisScriptingAsyncCommands<String, String> redis, String[] keys, String[] args) {
        CompletableFuture<List<Object>> first = redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
        return first.exceptionallyCompose(error -> {
            Throwable cause = unwrap(error);
            if (cause instanceof RedisNoScriptException) {
                return redis.<List<Object>>eval(body, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** The cause of a failed future's exception ({@code CompletionException} unwrapped). */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * True when Redis answered but refused the script because of the data or the script itself
     * ({@code WRONGTYPE}, a script runtime error, a command forbidden in scripts): a bug or a
     * misconfiguration, which retrying or falling back for a while will not cure. Errors that say the
     * server is unavailable ({@code LOADING}, {@code BUSY}, {@code READONLY}, {@code OOM},
     * {@code CLUSTERDOWN}, {@code MASTERDOWN}, ...) are not data errors.
     */
    public static boolean isDataError(Throwable error) {
        if (!(error instanceof RedisCommandExecutionException) || error instanceof RedisNoScriptException) {
            return false;
        }
        String message = String.valueOf(error.getMessage());
        return message.startsWith("WRONGTYPE")
                || (message.startsWith("ERR") && message.toLowerCase(Locale.ROOT).contains("script"));
    }

    /**
     * True when a failed call may still have run in Redis: it timed out in the client after being
     * sent. False when it surely did not (not connected, connection refused, a data error).
     */
    public static boolean mayHaveRun(Throwable error) {
        return error instanceof RedisCommandTimeoutException || error instanceof TimeoutException;
    }

    /** The error for a log line: Redis' own message (which holds no key or value), or the exception type. */
    public static String describeError(Throwable error) {
        String message = error instanceof RedisCommandExecutionException ? error.getMessage() : null;
        return message != null ? message : error.toString();
    }

    /** The SHA-1 digest {@code EVALSHA} uses. */
    public String sha() {
        return sha;
    }

    /**
     * The script in {@code resource}, next to this class, as it is (a script of its own, such as login
     * protection's).
     *
     * @throws IllegalStateException when there is no such resource
     */
    public static RedisScript load(String resource) {
        return new RedisScript(read(resource));
    }

    /** The script in {@code resource}, after {@code prelude.lua} (time, integer division, window state). */
    private static RedisScript withPrelude(String resource) {
        return new RedisScript(read("prelude.lua") + read(resource));
    }

    /** The arguments of one call as Lettuce sees them: the script, then bytes encoded in the caller's thread. */
    private static final class Encoded extends CommandArgs<String, String> {
        private final byte[] script;
        private final ScriptArguments arguments;

        Encoded(byte[] script, ScriptArguments arguments) {
            super(StringCodec.UTF8);
            this.script = script;
            this.arguments = arguments;
        }

        @Override
        public int count() {
            return 1 + arguments.count();
        }

        @Override
        public void encode(ByteBuf buffer) {
            buffer.writeBytes(script);
            buffer.writeBytes(arguments.resp(), 0, arguments.length());
        }

        @Override
        public ByteBuffer getFirstEncodedKey() {
            return arguments.firstKey();
        }

        @Override
        public String toCommandString() {
            return toString();
        }

        @Override
        public String toString() {
            return "<script> and " + arguments.count() + " arguments"; // no key: keys may hold client addresses
        }
    }

    private static String read(String resource) {
        try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
