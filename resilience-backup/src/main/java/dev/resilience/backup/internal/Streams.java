package dev.resilience.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

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
