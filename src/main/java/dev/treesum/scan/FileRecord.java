package dev.treesum.scan;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;

/**
 * An entry with the outcome of hashing it: what the writer stores.
 *
 * @param entry the entry as the walker found it
 * @param digest the digest of a regular file read whole and unchanged, or carried over
 * from the previous scan; otherwise {@code null}
 * @param status the entry's status, or the reading's if that failed
 * @param error why it failed, otherwise {@code null}
 * @param bytesRead the bytes actually read to compute the digest
 * @param carriedOver whether the digest was taken from the previous scan unread
 */
record FileRecord(FileEntry entry, byte[] digest, FileStatus status, String error, long bytesRead,
		boolean carriedOver) {

	FileRecord(FileEntry entry, byte[] digest, FileStatus status, String error) {
		this(entry, digest, status, error, 0, false);
	}

	static FileRecord of(FileEntry entry) {
		return new FileRecord(entry, null, entry.status(), entry.error());
	}

	/**
	 * Return the bytes this record counts toward a partition's total: the size of a
	 * regular file, nothing for anything else.
	 * @return the bytes
	 */
	long countedBytes() {
		return (this.entry.kind() == FileKind.FILE) ? this.entry.size() : 0;
	}

	boolean isError() {
		return this.status != FileStatus.OK;
	}

}
