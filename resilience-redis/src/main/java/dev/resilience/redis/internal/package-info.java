/** Implementation details of the Redis plumbing (URI redaction, failure descriptions). Not API. */
@NullMarked
package dev.resilience.redis.internal;

import org.jspecify.annotations.NullMarked;
