package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointAccessTest {

    private static final String TOKEN = "0123456789abcdef-token";

    @Test
    void aTokenGrantsAccessOnlyWithTheSameBearerToken() {
        EndpointAccess access = EndpointAccess.token(TOKEN);

        assertThat(access.permits("Bearer " + TOKEN)).isTrue();
        assertThat(access.permits("bearer " + TOKEN)).isTrue();
        assertThat(access.permits("Bearer " + TOKEN + "x")).isFalse();
        assertThat(access.permits("Basic " + TOKEN)).isFalse();
        assertThat(access.permits(null)).isFalse();
    }

    @Test
    void disabledGrantsNothingAndOpenGrantsEverything() {
        assertThat(EndpointAccess.disabled().permits("Bearer " + TOKEN)).isFalse();
        assertThat(EndpointAccess.open().permits(null)).isTrue();
    }

    @Test
    void rejectsAShortTokenWithoutEchoingIt() {
        assertThatThrownBy(() -> EndpointAccess.token("short-secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void neverShowsTheTokenInToString() {
        assertThat(EndpointAccess.token(TOKEN).toString()).doesNotContain(TOKEN).contains("TOKEN");
    }
}
