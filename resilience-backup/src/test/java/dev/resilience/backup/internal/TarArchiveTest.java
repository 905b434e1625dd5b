package dev.resilience.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarArchiveTest {

    @Test
    void roundTripsNestedFoldersAndLongNames(@TempDir Path source, @TempDir Path target) throws IOException {
        Path config = Files.createDirectories(source.resolve("config").resolve("a".repeat(60)).resolve("b".repeat(60)));
        Files.writeString(config.resolve("app.yaml"), "port: 8080\n");
        Files.write(source.resolve("model.bin"), new byte[1234]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TarArchive.write(List.of(source.resolve("config"), source.resolve("model.bin")), out);
        List<String> names = TarArchive.read(new ByteArrayInputStream(out.toByteArray()), target);

        assertThat(names).contains("model.bin");
        assertThat(Files.readString(target.resolve("config").resolve("a".repeat(60)).resolve("b".repeat(60)).resolve("app.yaml")))
                .isEqualTo("port: 8080\n");
        assertThat(Files.size(target.resolve("model.bin"))).isEqualTo(1234);
    }

    @Test
    void aTruncatedArchiveIsAnError(@TempDir Path source) throws IOException {
        Files.write(source.resolve("data"), new byte[5000]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarArchive.writeContents(source, out);
        byte[] cut = Arrays.copyOf(out.toByteArray(), 3000);

        assertThatThrownBy(() -> TarArchive.read(new ByteArrayInputStream(cut), null)).isInstanceOf(IOException.class);
    }

    @Test
    void anEntryEscapingTheTargetIsRefused(@TempDir Path source, @TempDir Path target) throws IOException {
        Path inner = Files.createDirectories(source.resolve("x"));
        Files.writeString(inner.resolve("evil"), "boom");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarArchive.write(List.of(inner), out);
        byte[] bytes = out.toByteArray();
        // rename the second entry "x/evil" to "../vil" (same length keeps the header checksum computable)
        byte[] forged = forgeName(bytes, 512, "../vil");

        assertThatThrownBy(() -> TarArchive.read(new ByteArrayInputStream(forged), target))
                .isInstanceOf(IOException.class).hasMessageContaining("escapes");
    }

    private static byte[] forgeName(byte[] tar, int headerOffset, String name) {
        byte[] copy = tar.clone();
        Arrays.fill(copy, headerOffset, headerOffset + 100, (byte) 0);
        System.arraycopy(name.getBytes(), 0, copy, headerOffset, name.length());
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (copy[headerOffset + i] & 0xff);
        }
        byte[] field = String.format("%06o\0 ", sum).getBytes();
        System.arraycopy(field, 0, copy, headerOffset + 148, 8);
        return copy;
    }
}
