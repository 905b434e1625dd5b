package dev.resilience.core;

/** What a {@link Bulkhead} did with a call. Immutable. */
public final class BulkheadEvent {

    /** The kind of event. */
    public enum Type {
        /** The call got a slot and runs. */
        PERMITTED,
        /** No slot was free within the maximum wait; the call was rejected. */
        REJECTED,
        /** A permitted call finished and gave its slot back. */
        FINISHED
    }

    private final String bulkheadName;
    private final Type type;

    BulkheadEvent(String bulkheadName, Type type) {
        this.bulkheadName = bulkheadName;
        this.type = type;
    }

    /** {@return the name of the bulkhead that published the event} */
    public String bulkheadName() {
        return bulkheadName;
    }

    /** {@return what happened: a call was permitted, rejected or finished} */
    public Type type() {
        return type;
    }

    @Override
    public String toString() {
        return "BulkheadEvent{" + bulkheadName + " " + type + "}";
    }
}
