package dev.resilience.backup.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Counts and SHA-256-hashes the bytes passing to the underlying stream. Closing it flushes but does
 * not close the underlying stream, whose owner still has to fsync and commit it. Not thread-safe.
 */
public final class DigestingOutputStream extends FilterOutputStream {

    private final MessageDigest digest = sha256();
    private long count;

    public DigestingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        digest.update((byte) b);
        count++;
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        digest.update(b, off, len);
        count += len;
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }

    public long count() {
        return count;
    }

    /** The lower-case hex SHA-256 of everything written; call once, after the last write. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A new SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
