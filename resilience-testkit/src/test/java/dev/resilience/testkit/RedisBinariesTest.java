package dev.resilience.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisBinariesTest {

    @Test
    void aMissingProgramFailsNamingItAndHowToInstallIt() {
        assertThatThrownBy(() -> RedisBinaries.require("redis-nonexistent-tool", "the test needs it"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis-nonexistent-tool is not installed")
                .hasMessageContaining("the test needs it")
                .hasMessageContaining("apt-get install redis-server redis-tools");
    }
}
