package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CompressionTest {

    @Test
    void zstdFallsBackToGzipBeforePgDump16() {
        assertThat(Compression.zstd(5).supportedBy(15)).isEqualTo(Compression.gzip(6));
        assertThat(Compression.zstd(5).supportedBy(16)).isEqualTo(Compression.zstd(5));
        assertThat(Compression.lz4().supportedBy(15)).isEqualTo(Compression.gzip(6));
    }

    @Test
    void pgDumpOptionUsesTheSyntaxOfTheVersion() {
        assertThat(Compression.gzip(6).pgDumpOption(15)).isEqualTo("--compress=6");
        assertThat(Compression.none().pgDumpOption(15)).isEqualTo("--compress=0");
        assertThat(Compression.zstd(3).pgDumpOption(16)).isEqualTo("--compress=zstd:3");
        assertThat(Compression.none().pgDumpOption(16)).isEqualTo("--compress=none");
    }

    @Test
    void parsesWhatToStringPrints() {
        for (Compression c : new Compression[] {Compression.none(), Compression.gzip(9), Compression.zstd(19), Compression.lz4()}) {
            assertThat(Compression.parse(c.toString())).isEqualTo(c);
        }
    }

    @Test
    void rejectsAnUnknownMethodOrLevelNamingIt() {
        assertThatThrownBy(() -> Compression.parse("brotli")).hasMessageContaining("'brotli'");
        assertThatThrownBy(() -> Compression.gzip(10)).hasMessage("gzip level must be between 1 and 9, was 10");
    }
}
