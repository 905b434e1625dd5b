package dev.resilience.core;

/**
 * Thrown instead of running the work when a {@link Bulkhead} has no free slot (within its maximum wait).
 * A cheap rejection: no stack trace, and the message is built only when read.
 */
public final class BulkheadFullException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /**
     * The name of the bulkhead that rejected the call.
     */
    private final String bulkheadName;
    /**
     * The limit of concurrent calls that was reached.
     */
    private final int maxConcurrentCalls;

    BulkheadFullException(String bulkheadName, int maxConcurrentCalls) {
        super(null, null, true);
        this.bulkheadName = bulkheadName;
        this.maxConcurrentCalls = maxConcurrentCalls;
    }

    /** {@return the name of the bulkhead that rejected the call} */
    public String bulkheadName() {
        return bulkheadName;
    }

    /** {@return the bulkhead's limit at the time of the rejection} */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    @Override
    public String getMessage() {
        return "Bulkhead '" + bulkheadName + "' is full: " + maxConcurrentCalls + " concurrent calls already running";
    }
}
