/**
 * Implementation shared by the resilience modules: not API, may change or go away in any release.
 * Exported only to the resilience modules that need it; do not use it from application code.
 */
@NullMarked
package dev.resilience.core.internal;

import org.jspecify.annotations.NullMarked;
