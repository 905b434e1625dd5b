package dev.resilience.backup.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * SHA-256-hashes the bytes read (skipped ones too) and, when the stream reaches its end, hands the
 * digest to {@link #atEnd(byte[])}, which throws when the bytes were not the expected ones. A reader
 * that stops early checks nothing. Not thread-safe.
 */
public abstract class CheckedAtEndInputStream extends FilterInputStream {

    private final MessageDigest digest = DigestingOutputStream.sha256();
    private boolean checked;

    protected CheckedAtEndInputStream(InputStream in) {
        super(in);
    }

    /**
     * Judges the SHA-256 of everything read.
     *
     * @throws IOException when the bytes were not the expected ones
     */
    protected abstract void atEnd(byte[] sha256) throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int n = in.read(bytes, offset, length);
        if (n > 0) {
            digest.update(bytes, offset, n);
        } else if (n < 0 && !checked) {
            checked = true;
            atEnd(digest.digest());
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes must be hashed too
        byte[] sink = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(sink, 0, (int) Math.min(sink.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
