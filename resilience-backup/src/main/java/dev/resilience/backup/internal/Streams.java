package dev.resilience.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/** Copying with a fixed buffer that tells read failures from write failures. */
public final class Streams {

    /** Buffer size of every copy: large enough for throughput, small enough to keep memory flat. */
    public static final int BUFFER_BYTES = 256 * 1024;

    private Streams() {
    }

    /** Thrown when reading the source failed (for example decryption), as opposed to writing. */
    public static final class ReadFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ReadFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Copies everything; a failure to read is a {@link ReadFailure}, a failure to write the plain IOException. */
    public static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw new ReadFailure(e);
            }
            if (n < 0) {
                return total;
            }
            out.write(buffer, 0, n);
            total += n;
        }
    }

    /** Buffers a {@link #copyReadingAhead} may hold filled and not yet written: 16 x 256 KiB = 4 MiB. */
    public static final int READ_AHEAD_BUFFERS = 16;

    /**
     * Copies everything like {@link #copy}, but a second thread reads {@code in} up to
     * {@link #READ_AHEAD_BUFFERS} buffers ahead of the writes. The producer behind {@code in} (pg_dump
     * behind its 64 KiB pipe) then never waits while {@code out} is busy (encrypting a segment, hashing,
     * a slow disk); without it producer and consumer take turns and their times add up. Memory stays
     * bounded by the buffers. When writing fails, the reading thread stops at its next buffer; one
     * blocked in {@code in.read} ends when the caller closes {@code in} or ends its producer.
     *
     * @throws ReadFailure when reading failed
     * @throws InterruptedException when the calling thread is interrupted
     */
    public static long copyReadingAhead(InputStream in, OutputStream out) throws IOException, InterruptedException {
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(READ_AHEAD_BUFFERS);
        BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(READ_AHEAD_BUFFERS + 1);
        for (int i = 0; i < READ_AHEAD_BUFFERS; i++) {
            free.add(new byte[BUFFER_BYTES]);
        }
        Thread reader = new Thread(() -> readInto(in, free, filled), "resilience-backup-read-ahead");
        reader.setDaemon(true);
        reader.start();
        try {
            long total = 0;
            while (true) {
                Chunk chunk = filled.take();
                if (chunk.failure != null) {
                    throw new ReadFailure(chunk.failure);
                }
                if (chunk.length < 0) {
                    return total;
                }
                out.write(chunk.buffer, 0, chunk.length);
                total += chunk.length;
                free.add(chunk.buffer);
            }
        } finally {
            reader.interrupt();
        }
    }

    private static void readInto(InputStream in, BlockingQueue<byte[]> free, BlockingQueue<Chunk> filled) {
        try {
            while (true) {
                byte[] buffer = free.take();
                int n;
                try {
                    n = in.readNBytes(buffer, 0, buffer.length);
                } catch (IOException e) {
                    filled.put(new Chunk(null, 0, e));
                    return;
                } catch (RuntimeException e) {
                    filled.put(new Chunk(null, 0, new IOException(e.toString(), e)));
                    return;
                }
                if (n == 0) {
                    filled.put(new Chunk(null, -1, null));
                    return;
                }
                filled.put(new Chunk(buffer, n, null));
            }
        } catch (InterruptedException e) {
            // the writer stopped (failed or done): nothing left to do
        }
    }

    /** A filled buffer, the end ({@code length} -1) or a read failure. */
    private record Chunk(byte @Nullable [] buffer, int length, @Nullable IOException failure) {
    }

    /** The lower-case hex SHA-256 of the rest of {@code in}. */
    public static String sha256Hex(InputStream in) throws IOException {
        MessageDigest digest = DigestingOutputStream.sha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
