package dev.resilience.examples.orders;

import dev.resilience.examples.http.HttpError;

/**
 * The body of {@code POST /api/orders}: {@code {"customer": "...", "item": "...", "quantity": 2}}.
 * Immutable.
 */
public record NewOrder(String customer, String item, int quantity) {

    static final int MAX_TEXT = 200;

    /**
     * Checks every field.
     *
     * @throws HttpError 400 naming the field that is missing or out of range
     */
    void validate() {
        requireText(customer, "customer");
        requireText(item, "item");
        if (quantity < 1 || quantity > 10_000) {
            throw HttpError.badRequest("quantity must be 1..10000 but was " + quantity);
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw HttpError.badRequest(field + " is required");
        }
        if (value.length() > MAX_TEXT) {
            throw HttpError.badRequest(field + " must be at most " + MAX_TEXT + " characters but has " + value.length());
        }
    }
}
