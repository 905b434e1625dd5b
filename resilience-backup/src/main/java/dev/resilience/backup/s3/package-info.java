/**
 * An off-site {@link dev.resilience.backup.BackupStore} on any S3-compatible object store; the only
 * package that needs the AWS SDK ({@code software.amazon.awssdk:s3}) on the classpath.
 */
@NullMarked
package dev.resilience.backup.s3;

import org.jspecify.annotations.NullMarked;
