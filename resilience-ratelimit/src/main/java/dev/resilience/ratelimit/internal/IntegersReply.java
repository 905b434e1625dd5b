package dev.resilience.ratelimit.internal;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A script's reply that must be an array of exactly {@code size} integers (the rate-limit decision),
 * read straight into a {@code long[]} instead of a list of boxed values. Any other reply (a nil, a
 * string, another length) yields {@code null}, which the caller reports as an unexpected reply.
 *
 * <p>One per command; not thread-safe (Lettuce's I/O thread fills it).
 */
public final class IntegersReply extends CommandOutput<String, String, long[]> {

    private int index;
    private boolean malformed;

    public IntegersReply(int size) {
        super(StringCodec.UTF8, new long[size]);
    }

    @Override
    public void set(long integer) {
        if (index < output.length) {
            output[index] = integer;
        }
        index++;
    }

    @Override
    public void set(ByteBuffer bytes) {
        malformed = true;
        index++;
    }

    @Override
    public void set(double number) {
        malformed = true;
        index++;
    }

    @Override
    public void set(boolean value) {
        malformed = true;
        index++;
    }

    @Override
    public void multi(int count) {
        if (count != output.length) {
            malformed = true;
        }
    }

    @Override
    public long @Nullable [] get() {
        return malformed || index != output.length || hasError() ? null : output;
    }
}
