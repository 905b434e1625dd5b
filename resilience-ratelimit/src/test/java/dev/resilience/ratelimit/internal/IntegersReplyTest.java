package dev.resilience.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IntegersReplyTest {

    @Test
    void readsAnArrayOfIntegers() {
        IntegersReply reply = new IntegersReply(3);
        reply.multi(3);
        reply.set(1);
        reply.set(-2);
        reply.set(1_795_997_781_840_681L);

        assertThat(reply.get()).containsExactly(1, -2, 1_795_997_781_840_681L);
    }

    @Test
    void anyOtherReplyIsNull() {
        IntegersReply tooShort = new IntegersReply(3);
        tooShort.multi(2);
        tooShort.set(1);
        tooShort.set(2);
        IntegersReply withAString = new IntegersReply(2);
        withAString.multi(2);
        withAString.set(1);
        withAString.set(ByteBuffer.wrap("OK".getBytes(StandardCharsets.UTF_8)));
        IntegersReply notAnArray = new IntegersReply(1);
        notAnArray.set(ByteBuffer.wrap("OK".getBytes(StandardCharsets.UTF_8)));
        IntegersReply anError = new IntegersReply(1);
        anError.multi(1);
        anError.set(1);
        anError.setError("ERR boom");

        assertThat(tooShort.get()).isNull();
        assertThat(withAString.get()).isNull();
        assertThat(notAnArray.get()).isNull();
        assertThat(anError.get()).isNull();
    }
}
