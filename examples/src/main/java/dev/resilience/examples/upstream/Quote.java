package dev.resilience.examples.upstream;

/**
 * A price quote. {@code source} says where it came from: {@code upstream}, or {@code fallback} when the
 * upstream could not answer and the last known or default price was used. Immutable.
 */
public record Quote(String item, double price, String source) {
}
