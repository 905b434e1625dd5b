package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void urlPasswordParameterIsMasked() {
        assertThat(Redaction.url("jdbc:postgresql://db/app?user=me&password=s3cr&t=1&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/app?user=me&password=***&t=1&ssl=true");
    }

    @Test
    void sqlPasswordLiteralIsMasked() {
        assertThat(Redaction.sql("ALTER ROLE app PASSWORD 'it''s secret' VALID UNTIL 'infinity'"))
                .isEqualTo("ALTER ROLE app PASSWORD '***' VALID UNTIL 'infinity'");
    }
}
