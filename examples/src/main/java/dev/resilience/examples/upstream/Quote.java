package dev.resilience.examples.upstream;

/**
 * A price quote. {@code source} says where it came from: {@code upstream}, or {@code fallback} when the
 * upstream could not answer in time (then {@code price} is the last price seen for the item, or null
 * when there is none). Immutable.
 */
public record Quote(String item, Double price, String source) {

    /** What the fallback policy answers; {@link QuoteEndpoint} fills in the item and last known price. */
    static final Quote UNAVAILABLE = new Quote(null, null, "fallback");
}
