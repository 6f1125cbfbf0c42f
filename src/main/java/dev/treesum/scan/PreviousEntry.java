package dev.treesum.scan;

/**
 * A regular file as the scan an incremental one takes digests from recorded it: what
 * decides whether it changed, and its digest.
 *
 * @param size the size in bytes
 * @param mtimeNanos the modification time
 * @param ctimeNanos the status change time
 * @param inode the inode number
 * @param digest the digest
 * @param verifiedAge scans of the series, back from that scan, since it was last read
 */
record PreviousEntry(long size, long mtimeNanos, long ctimeNanos, long inode, byte[] digest, int verifiedAge) {
}
