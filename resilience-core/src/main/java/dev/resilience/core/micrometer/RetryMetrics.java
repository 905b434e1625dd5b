package dev.resilience.core.micrometer;

import dev.resilience.core.Retry;
import dev.resilience.core.RetryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Publishes {@code resilience.retry.calls}, a counter of finished calls tagged {@code name},
 * {@code kind=retry} and {@code result}: {@code success_without_retry}, {@code success_with_retry},
 * {@code failed_with_retry} or {@code failed_without_retry}.
 *
 * <pre>{@code
 * new RetryMetrics(retry).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Thread-safe. Binding adds a listener to the retry; a call that succeeds at once allocates nothing
 * for it.
 */
public final class RetryMetrics implements MeterBinder {

    private static final String CALLS = "resilience.retry.calls";
    private static final String DESCRIPTION = "Calls made through a retry, by outcome";

    private final Retry retry;

    /**
     * A binder for the meters of {@code retry}; bind it to a registry to publish them.
     *
     * @param retry the retry to observe
     */
    public RetryMetrics(Retry retry) {
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Meters meters = new Meters(registry, retry.name(), "retry");
        Counter successWithout = meters.counter(CALLS, DESCRIPTION, "success_without_retry");
        Counter successWith = meters.counter(CALLS, DESCRIPTION, "success_with_retry");
        Counter failedWith = meters.counter(CALLS, DESCRIPTION, "failed_with_retry");
        Counter failedWithout = meters.counter(CALLS, DESCRIPTION, "failed_without_retry");
        retry.addListener(event -> {
            if (event.type() == RetryEvent.Type.RETRY) {
                return;
            }
            boolean retried = event.attempt() > 1;
            if (event.type() == RetryEvent.Type.SUCCESS) {
                (retried ? successWith : successWithout).increment();
            } else {
                (retried ? failedWith : failedWithout).increment();
            }
        });
    }
}
