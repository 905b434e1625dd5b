package dev.resilience.queue.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {

    private static final byte[] SECRET = "0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "{\"order\":42}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void signatureIsBase64HmacSha256OfIdTimestampAndBody() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal("order-42.1800000000.{\"order\":42}".getBytes(StandardCharsets.UTF_8)));

        assertThat(WebhookSender.sign(SECRET, "order-42", "1800000000", BODY)).isEqualTo(expected);
    }

    @Test
    void receiverAcceptsTheSignatureAndRejectsTamperingOldTimestampsAndOtherSecrets() {
        String signature = WebhookSender.sign(SECRET, "order-42", "1800000000", BODY);
        Duration tolerance = Duration.ofMinutes(5);

        assertThat(WebhookSender.verify(SECRET, "order-42", "1800000000", BODY, "v1,old " + signature, NOW, tolerance)).isTrue();
        assertThat(WebhookSender.verify(SECRET, "order-42", "1800000000", "{\"order\":43}".getBytes(StandardCharsets.UTF_8),
                signature, NOW, tolerance)).isFalse();
        assertThat(WebhookSender.verify(SECRET, "order-43", "1800000000", BODY, signature, NOW, tolerance)).isFalse();
        assertThat(WebhookSender.verify(SECRET, "order-42", "1800000000", BODY, signature, NOW.plusSeconds(301), tolerance)).isFalse();
        assertThat(WebhookSender.verify("another secret 1234".getBytes(StandardCharsets.US_ASCII), "order-42", "1800000000",
                BODY, signature, NOW, tolerance)).isFalse();
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDate() {
        assertThat(WebhookSender.retryAfter("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(WebhookSender.retryAfter("Fri, 15 Jan 2027 08:00:30 GMT", Instant.parse("2027-01-15T08:00:00Z")))
                .contains(Duration.ofSeconds(30));
        assertThat(WebhookSender.retryAfter("Fri, 15 Jan 2027 08:00:30 GMT", Instant.parse("2027-01-15T09:00:00Z")))
                .contains(Duration.ZERO);
        assertThat(WebhookSender.retryAfter("soon", NOW)).isEmpty();
    }

    @Test
    void builderNamesTheBadValueAndToStringHidesTheSecret() {
        assertThatThrownBy(() -> WebhookSender.builder(URI.create("ftp://x"), SECRET))
                .hasMessage("endpoint must be an http or https URI, was scheme 'ftp'");
        assertThatThrownBy(() -> WebhookSender.builder(URI.create("https://x"), new byte[3]))
                .hasMessage("secret must be at least 16 bytes, was 3 bytes");
        assertThatThrownBy(() -> WebhookSender.builder(URI.create("https://x"), SECRET).timeout(Duration.ZERO))
                .hasMessage("timeout must be positive, was PT0S");
        String text = WebhookSender.builder(URI.create("https://hooks.example.com/in?token=abc"), SECRET).build().toString();
        assertThat(text).isEqualTo("WebhookSender{https://hooks.example.com, timeout PT10S}").doesNotContain("0123456789");
    }
}
