package dev.resilience.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    static final String TOKEN = "s3cret-0123456789abcdef";

    @Test
    void permitsOnlyTheBearerOfTheToken() {
        BearerToken check = BearerToken.of(TOKEN);

        assertThat(check.permits("Bearer " + TOKEN)).isTrue();
        assertThat(check.permits("bearer " + TOKEN + " ")).isTrue();
        assertThat(check.permits("Bearer " + TOKEN + "x")).isFalse();
        assertThat(check.permits("Basic " + TOKEN)).isFalse();
        assertThat(check.permits(TOKEN)).isFalse();
        assertThat(check.permits(null)).isFalse();
    }

    @Test
    void rejectsAShortTokenWithoutShowingIt() {
        assertThatThrownBy(() -> BearerToken.of("short-secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token must be at least 16 characters, was 12");
        assertThatThrownBy(() -> BearerToken.of(null)).isInstanceOf(NullPointerException.class).hasMessage("token");
    }

    @Test
    void neverShowsTheToken() {
        assertThat(BearerToken.of(TOKEN).toString()).doesNotContain(TOKEN).doesNotContain("s3cret");
    }
}
