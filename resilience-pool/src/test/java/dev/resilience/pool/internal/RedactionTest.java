package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

    @Test
    void urlPasswordParameterIsMasked() {
        assertThat(Redaction.url("jdbc:postgresql://db/app?user=me&password=s3cr&t=1&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/app?user=me&password=***&t=1&ssl=true");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            plain literal with a doubled quote | ALTER ROLE app PASSWORD 'it''s secret' VALID UNTIL 'infinity' | ALTER ROLE app PASSWORD '***' VALID UNTIL 'infinity'
            lower case and WITH ENCRYPTED      | create user app with encrypted password 's3cret'                | create user app with encrypted password '***'
            escape string                      | ALTER ROLE app PASSWORD E'se\\'cr''et\\\\' LOGIN                 | ALTER ROLE app PASSWORD '***' LOGIN
            lower-case escape string           | ALTER ROLE app PASSWORD e'secret'                              | ALTER ROLE app PASSWORD '***'
            dollar quoted                      | ALTER ROLE app PASSWORD $$se'cr$et$$ LOGIN                      | ALTER ROLE app PASSWORD '***' LOGIN
            tagged dollar quoted               | ALTER ROLE app PASSWORD $pw$se$$cr'et$pw$ LOGIN                 | ALTER ROLE app PASSWORD '***' LOGIN
            unicode escape string              | ALTER ROLE app PASSWORD U&'s\\0065cret' LOGIN                   | ALTER ROLE app PASSWORD '***' LOGIN
            unicode with UESCAPE               | ALTER ROLE app PASSWORD u&'s!0065cret' UESCAPE '!'              | ALTER ROLE app PASSWORD '***' UESCAPE '!'
            national string                    | ALTER ROLE app PASSWORD N'secret'                               | ALTER ROLE app PASSWORD '***'
            backslash before the closing quote | ALTER ROLE app PASSWORD 'secret\\' VALID UNTIL '2030-01-01'     | ALTER ROLE app PASSWORD '***'2030-01-01'
            cut off, no closing quote          | ALTER ROLE app PASSWORD 'secr                                   | ALTER ROLE app PASSWORD '***'
            cut off dollar quote               | ALTER ROLE app PASSWORD $x$secr                                 | ALTER ROLE app PASSWORD '***'
            two roles in one text              | ALTER ROLE a PASSWORD 'one'; ALTER ROLE b PASSWORD $$two$$      | ALTER ROLE a PASSWORD '***'; ALTER ROLE b PASSWORD '***'
            user mapping option                | CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'u', password 'secret') | CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'u', password '***')
            comparison with a column           | SELECT id FROM users WHERE password = 'hunter2'                 | SELECT id FROM users WHERE password = '***'
            connection string setting          | SELECT dblink_connect('host=db password=secret dbname=app')    | SELECT dblink_connect('host=db password=*** dbname=app')
            parameter is left alone            | ALTER ROLE app PASSWORD $1                                      | ALTER ROLE app PASSWORD $1
            NULL is left alone                 | ALTER ROLE app PASSWORD NULL                                    | ALTER ROLE app PASSWORD NULL
            column names are left alone        | SELECT password_hash, user_password FROM users WHERE id = 'x'   | SELECT password_hash, user_password FROM users WHERE id = 'x'
            """)
    void everyStringConstantFormAfterPasswordIsMasked(String form, String sql, String logged) {
        assertThat(Redaction.sql(sql)).isEqualTo(logged);
    }

    @Test
    void constantContinuedOnTheNextLineIsMaskedWhole() {
        assertThat(Redaction.sql("ALTER ROLE app PASSWORD 'sec'\n  'ret' LOGIN")).isEqualTo("ALTER ROLE app PASSWORD '***' LOGIN");
    }
}
