package dev.resilience.backup.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A minimal POSIX ustar writer and reader for regular files and directories, streaming (one 512-byte
 * header and a copy buffer in memory). Sizes above 8 GiB use the GNU base-256 size field. Used to pack
 * pg_dump's directory format and extra file sets into one stored stream.
 */
public final class TarArchive {

    private static final int BLOCK = 512;

    private TarArchive() {
    }

    /**
     * Writes each of {@code roots} (file or directory, recursively) under its own file name, then the
     * end-of-archive marker.
     */
    public static void write(List<Path> roots, OutputStream out) throws IOException {
        for (Path root : roots) {
            Path base = root.toAbsolutePath().normalize();
            Path parent = base.getParent();
            List<Path> entries;
            try (Stream<Path> walk = Files.walk(base)) {
                entries = walk.sorted().toList();
            }
            for (Path entry : entries) {
                // a root has no parent only when it is the file system root, which is never archived
                String name = (parent == null ? base : parent).relativize(entry).toString().replace('\\', '/');
                writeEntry(entry, name, out);
            }
        }
        out.write(new byte[BLOCK * 2]);
    }

    /** Writes the files directly inside {@code directory} (not the directory itself), then the end marker. */
    public static void writeContents(Path directory, OutputStream out) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(directory)) {
            entries = list.sorted().toList();
        }
        for (Path entry : entries) {
            writeEntry(entry, entry.getFileName().toString(), out);
        }
        out.write(new byte[BLOCK * 2]);
    }

    /**
     * Reads the whole archive; extracts it into {@code target} when not null (entries must stay inside
     * it). Returns the entry names.
     *
     * @throws IOException when the archive is truncated or malformed
     */
    public static List<String> read(InputStream in, @Nullable Path target) throws IOException {
        List<String> names = new ArrayList<>();
        byte[] header = new byte[BLOCK];
        byte[] buffer = new byte[Streams.BUFFER_BYTES];
        while (true) {
            readFully(in, header);
            if (isZero(header)) {
                readFully(in, header);
                return names;
            }
            if (checksum(header) != parseOctal(header, 148, 8)) {
                throw new IOException("tar header checksum mismatch after " + names.size() + " entries");
            }
            String name = string(header, 0, 100);
            String prefix = string(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = parseSize(header);
            char type = (char) header[156];
            names.add(name);
            OutputStream out = null;
            if (target != null) {
                Path path = target.resolve(name).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("tar entry escapes the target directory: " + name);
                }
                if (type == '5') {
                    Files.createDirectories(path);
                } else {
                    Files.createDirectories(path.getParent());
                    out = Files.newOutputStream(path);
                }
            }
            try {
                long remaining = size;
                while (remaining > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (n < 0) {
                        throw new EOFException("tar archive truncated inside " + name);
                    }
                    if (out != null) {
                        out.write(buffer, 0, n);
                    }
                    remaining -= n;
                }
            } finally {
                if (out != null) {
                    out.close();
                }
            }
            long padding = (BLOCK - size % BLOCK) % BLOCK;
            in.readNBytes(buffer, 0, (int) padding);
        }
    }

    private static void writeEntry(Path entry, String name, OutputStream out) throws IOException {
        boolean directory = Files.isDirectory(entry);
        long size = directory ? 0 : Files.size(entry);
        out.write(header(directory ? name + "/" : name, size, directory,
                Files.getLastModifiedTime(entry).toMillis() / 1000));
        if (!directory) {
            long copied;
            try (InputStream in = Files.newInputStream(entry)) {
                copied = Streams.copy(in, out);
            }
            if (copied != size) {
                throw new IOException(entry + " changed size while it was archived");
            }
            out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
        }
    }

    private static byte[] header(String name, long size, boolean directory, long mtime) throws IOException {
        byte[] h = new byte[BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length <= 100) {
            System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
        } else {
            int split = name.lastIndexOf('/', name.length() - 2);
            byte[] prefix = split < 0 ? nameBytes : name.substring(0, split).getBytes(StandardCharsets.UTF_8);
            byte[] rest = split < 0 ? nameBytes : name.substring(split + 1).getBytes(StandardCharsets.UTF_8);
            if (split < 0 || prefix.length > 155 || rest.length > 100) {
                throw new IOException("path too long for a tar entry: " + name);
            }
            System.arraycopy(rest, 0, h, 0, rest.length);
            System.arraycopy(prefix, 0, h, 345, prefix.length);
        }
        octal(h, 100, 8, directory ? 0755 : 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        if (size < 077777777777L) {
            octal(h, 124, 12, size);
        } else {
            h[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                h[135 - i] = (byte) (size >>> (8 * i));
            }
        }
        octal(h, 136, 12, mtime);
        h[156] = (byte) (directory ? '5' : '0');
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        octal(h, 148, 7, checksum(h));
        return h;
    }

    private static long checksum(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        return sum;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String text = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, len - 1 - text.length())) + text;
        byte[] bytes = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }

    private static long parseSize(byte[] h) throws IOException {
        if ((h[124] & 0x80) != 0) {
            long size = 0;
            for (int i = 128; i < 136; i++) {
                size = (size << 8) | (h[i] & 0xff);
            }
            return size;
        }
        return parseOctal(h, 124, 12);
    }

    private static long parseOctal(byte[] h, int off, int len) throws IOException {
        String text = new String(h, off, len, StandardCharsets.US_ASCII).replace("\0", "").trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("malformed tar header field: '" + text + "'", e);
        }
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(InputStream in, byte[] block) throws IOException {
        if (in.readNBytes(block, 0, block.length) != block.length) {
            throw new EOFException("tar archive truncated");
        }
    }
}
