package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The README's "Waiting for permits" sample, kept compiling and working. */
class ReadmeWaitingExampleTest {

    // --- README sample start
    static Decision callPartner(RateLimiter partnerApi) throws InterruptedException {
        WaitingRateLimiter waiting = WaitingRateLimiter.builder(partnerApi)
                .maxWait(Duration.ofSeconds(2))    // wait at most 2 s for a permit
                .build();
        return waiting.acquire("partner", 1);      // blocks until admitted, or answers the rejection at once
    }

    static CompletionStage<Decision> callPartnerAsync(WaitingRateLimiter waiting) {
        return waiting.acquireAsync("partner", 1); // the same without blocking a thread
    }
    // --- README sample end

    @Test
    void theReadmeSampleWaitsForAPermitOrAnswersAtOnce() throws Exception {
        InMemoryRateLimiter partnerApi = InMemoryRateLimiter.builder("partner",
                RateLimitPolicy.of(Limit.tokenBucket("second", 1, 1, Duration.ofSeconds(1)))).build();
        assertThat(callPartner(partnerApi).allowed()).isTrue();

        ManualClock clock = new ManualClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        InMemoryRateLimiter manual = InMemoryRateLimiter.builder("partner",
                RateLimitPolicy.of(Limit.tokenBucket("second", 1, 1, Duration.ofSeconds(1)))).clock(clock).build();
        manual.tryAcquire("partner");
        CompletionStage<Decision> later = callPartnerAsync(WaitingRateLimiter.builder(manual).maxWait(Duration.ofSeconds(2))
                .clock(clock).scheduler(scheduler).build());
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(later.toCompletableFuture().join().allowed()).isTrue();
    }
}
