package dev.resilience.examples.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoUsersTest {

    final DemoUsers users = new DemoUsers();

    @Test
    void acceptsTheDemoUsersPassword() {
        assertThat(users.check(DemoUsers.DEMO_USER, DemoUsers.DEMO_PASSWORD.toCharArray())).isTrue();
    }

    @Test
    void refusesAWrongPassword() {
        assertThat(users.check(DemoUsers.DEMO_USER, "demo-passwore".toCharArray())).isFalse();
    }

    @Test
    void refusesAnUnknownUserEvenWithTheDemoPassword() {
        assertThat(users.check("admin", DemoUsers.DEMO_PASSWORD.toCharArray())).isFalse();
    }

    @Test
    void refusesAnUnknownUserWithThePasswordOfTheUnknownUserPlaceholder() {
        assertThat(users.check("nobody", new char[] {'\0'})).isFalse();
    }

    @Test
    void loginRequestNeverPrintsThePassword() {
        assertThat(new LoginRequest("demo", "s3cret-value").toString()).doesNotContain("s3cret-value");
    }
}
