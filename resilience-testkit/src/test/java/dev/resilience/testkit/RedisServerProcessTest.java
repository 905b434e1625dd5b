package dev.resilience.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedisServerProcessTest {

    @Test
    void refusesAConfigLineThatWouldSmuggleInAnotherDirective() {
        assertThatThrownBy(() -> RedisServerProcess.start(List.of("requirepass pw\nrename-command CONFIG \"\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configLines").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> RedisServerProcess.start(List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configLines");
    }
}
