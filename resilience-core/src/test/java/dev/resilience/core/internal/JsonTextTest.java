package dev.resilience.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void quotesAndEscapesWhatJsonRequires() {
        assertThat(JsonText.quote("plain")).isEqualTo("\"plain\"");
        assertThat(JsonText.quote("say \"hi\" \\ bye")).isEqualTo("\"say \\\"hi\\\" \\\\ bye\"");
        assertThat(JsonText.quote("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
        assertThat(JsonText.quote("\u0000\u001f")).isEqualTo("\"\\u0000\\u001f\"");
        assertThat(JsonText.quote("")).isEqualTo("\"\"");
    }

    @Test
    void keepsNonAsciiAsIs() {
        assertThat(JsonText.quote("Grüße €")).isEqualTo("\"Grüße €\"");
    }

    @Test
    void appendsToTheGivenBuilder() {
        StringBuilder out = new StringBuilder("[");
        assertThat(JsonText.appendQuoted("x", out)).isSameAs(out);
        assertThat(out).hasToString("[\"x\"");
    }
}
