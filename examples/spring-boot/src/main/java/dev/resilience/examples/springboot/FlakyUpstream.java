package dev.resilience.examples.springboot;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A stand-in pricing service that answers 503 every n-th request (settable at run time, for the demo and tests). */
@RestController
public class FlakyUpstream {
    private final AtomicLong requests = new AtomicLong();
    private volatile int failureEvery;

    FlakyUpstream(PricingProperties pricing) {
        this.failureEvery = pricing.failureEvery();
    }

    @GetMapping("/upstream/prices/{sku}")
    ResponseEntity<BigDecimal> price(@PathVariable String sku) {
        long n = requests.incrementAndGet();
        int every = failureEvery;
        if (every > 0 && n % every == 0) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
        return ResponseEntity.ok(new BigDecimal("12.50"));
    }

    @PutMapping("/upstream/failure-every")
    void failureEvery(@RequestBody int every) {
        this.failureEvery = every;
    }
}
