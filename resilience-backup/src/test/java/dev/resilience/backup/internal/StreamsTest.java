package dev.resilience.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamsTest {

    @Test
    void copyingAheadKeepsEveryByteInOrder() throws Exception {
        byte[] data = new byte[Streams.BUFFER_BYTES * (Streams.READ_AHEAD_BUFFERS + 3) + 12345];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long copied = Streams.copyReadingAhead(new ByteArrayInputStream(data), out);

        assertThat(copied).isEqualTo(data.length);
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void anEmptySourceCopiesNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(Streams.copyReadingAhead(InputStream.nullInputStream(), out)).isZero();
        assertThat(out.size()).isZero();
    }

    @Test
    void aFailureToReadIsAReadFailure() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("tag mismatch");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> Streams.copyReadingAhead(new SequenceInputStream(new ByteArrayInputStream(new byte[10]), failing), out))
                .isInstanceOf(Streams.ReadFailure.class).hasMessageContaining("tag mismatch");
    }

    @Test
    void aFailureToWriteIsThePlainIoExceptionAndNoReadFailure() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };

        assertThatThrownBy(() -> Streams.copyReadingAhead(new ByteArrayInputStream(new byte[Streams.BUFFER_BYTES * 40]), full))
                .isExactlyInstanceOf(IOException.class).hasMessage("No space left on device");
    }
}
