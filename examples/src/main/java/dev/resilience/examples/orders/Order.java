package dev.resilience.examples.orders;

import java.time.Instant;

/** A stored order. Immutable. */
public record Order(long id, String customer, String item, int quantity, Instant createdAt) {
}
