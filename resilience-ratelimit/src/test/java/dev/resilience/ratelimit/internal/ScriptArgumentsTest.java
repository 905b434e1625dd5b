package dev.resilience.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScriptArgumentsTest {

    private static final byte[] HEAD = "rl:{".getBytes(StandardCharsets.UTF_8);

    @Test
    void encodesKeysAndArgumentsAsRedisBulkStrings() {
        ScriptArguments arguments = new ScriptArguments.Writer(8)
                .numberOfKeys(2)
                .key(HEAD, "ip:10.0.0.1".getBytes(StandardCharsets.UTF_8), "}:api:minute:tb".getBytes(StandardCharsets.UTF_8))
                .key(HEAD, "ip:10.0.0.1".getBytes(StandardCharsets.UTF_8), "}:api:day:fw".getBytes(StandardCharsets.UTF_8))
                .empty()
                .integer(1_795_997_781_840_681L)
                .integer(-5)
                .integer(7)
                .encoded(ScriptArguments.bulk("100"), 1)
                .build();

        assertThat(new String(arguments.resp(), 0, arguments.length(), StandardCharsets.UTF_8)).isEqualTo(
                "$1\r\n2\r\n"
                + "$30\r\nrl:{ip:10.0.0.1}:api:minute:tb\r\n"
                + "$27\r\nrl:{ip:10.0.0.1}:api:day:fw\r\n"
                + "$0\r\n\r\n"
                + "$16\r\n1795997781840681\r\n"
                + "$2\r\n-5\r\n"
                + "$1\r\n7\r\n"
                + "$3\r\n100\r\n");
        assertThat(arguments.count()).isEqualTo(8);
    }

    @Test
    void theFirstKeyRoutesTheCallInACluster() {
        ScriptArguments arguments = new ScriptArguments.Writer(4).numberOfKeys(1)
                .key(HEAD, "user:é".getBytes(StandardCharsets.UTF_8), "}:x".getBytes(StandardCharsets.UTF_8)).build();

        ByteBuffer first = arguments.firstKey();

        byte[] key = new byte[first.remaining()];
        first.get(key);
        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("rl:{user:é}:x");
        assertThat(arguments.firstKey().remaining()).as("a fresh buffer each time").isEqualTo(key.length);
    }

    @Test
    void growsBeyondItsFirstEstimate() {
        byte[] longKey = "k".repeat(300).getBytes(StandardCharsets.UTF_8);

        ScriptArguments arguments = new ScriptArguments.Writer(1).numberOfKeys(1).key(HEAD, longKey, new byte[0]).build();

        assertThat(new String(arguments.resp(), 0, arguments.length(), StandardCharsets.UTF_8))
                .isEqualTo("$1\r\n1\r\n$304\r\nrl:{" + "k".repeat(300) + "\r\n");
    }
}
