/** Implementation details of the Redis plumbing (URI redaction, failure descriptions). Not API. */
package dev.resilience.redis.internal;
