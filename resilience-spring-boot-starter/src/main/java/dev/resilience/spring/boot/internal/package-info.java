/**
 * The starter's own plumbing, shared by its auto-configurations. Not API: it may change in any release, and the
 * published Javadoc leaves it out.
 */
@NullMarked
package dev.resilience.spring.boot.internal;

import org.jspecify.annotations.NullMarked;
