package dev.treesum.scan;

import dev.treesum.walk.FileStatus;

/**
 * The outcome of reading one regular file: its digest, or why there is none.
 *
 * @param digest the digest of the whole file, read while it did not change; otherwise
 * {@code null}
 * @param bytesRead the bytes actually read
 * @param status {@link FileStatus#OK}, or what went wrong
 * @param error why it went wrong, otherwise {@code null}
 */
record FileReading(byte[] digest, long bytesRead, FileStatus status, String error) {
}
