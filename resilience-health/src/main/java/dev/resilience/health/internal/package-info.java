/**
 * Implementation of the health module: not API, may change or go away in any release, and not exported
 * from the module. Check scheduling, request windows, route matching, sample rings, the endpoints'
 * request/response model and JSON writing.
 */
@NullMarked
package dev.resilience.health.internal;

import org.jspecify.annotations.NullMarked;
