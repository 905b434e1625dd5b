package dev.resilience.spring.boot.health;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the service has been taken out of service, and why: the {@code resilience} health contributor
 * reports {@code OUT_OF_SERVICE} from the moment {@link #mark(String)} is called. Thread-safe.
 */
public final class OutOfService {
    private final AtomicReference<String> reason = new AtomicReference<>();

    /**
     * Takes the service out of service.
     *
     * @param why shown as the {@code reason} detail of the {@code shutdown} component
     */
    public void mark(String why) {
        reason.set(why);
    }

    /** Puts the service back in service (a context restarted after a stop). */
    public void clear() {
        reason.set(null);
    }

    /**
     * Why the service is out of service.
     *
     * @return the reason, empty while in service
     */
    public Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }
}
