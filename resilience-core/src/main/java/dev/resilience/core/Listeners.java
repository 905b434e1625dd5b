package dev.resilience.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one policy: a copy-on-write array so publishing takes no lock, and {@link #isEmpty()}
 * lets the hot path skip creating events nobody reads.
 */
final class Listeners<E> {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private static final PolicyListener<?>[] NONE = new PolicyListener<?>[0];

    private volatile PolicyListener<? super E>[] listeners;

    @SuppressWarnings("unchecked")
    Listeners(List<PolicyListener<? super E>> initial) {
        this.listeners = initial.isEmpty() ? (PolicyListener<? super E>[]) NONE : (PolicyListener<? super E>[]) initial.toArray(new PolicyListener<?>[0]);
    }

    boolean isEmpty() {
        return listeners.length == 0;
    }

    synchronized void add(PolicyListener<? super E> listener) {
        Objects.requireNonNull(listener, "listener");
        PolicyListener<? super E>[] copy = Arrays.copyOf(listeners, listeners.length + 1);
        copy[copy.length - 1] = listener;
        listeners = copy;
    }

    void publish(E event) {
        for (PolicyListener<? super E> listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed on event {}", listener, event, e);
            }
        }
    }
}
