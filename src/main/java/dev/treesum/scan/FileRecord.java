package dev.treesum.scan;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;

/**
 * An entry with the outcome of reading it: what the writer stores.
 *
 * @param entry the entry as the walker found it
 * @param pathNo its path's number in the series' dictionary, 0 for a path the writer adds
 * @param content a regular file's digest, read whole and unchanged or carried over from
 * the previous scan; a symlink's target; otherwise {@code null}
 * @param status the entry's status, or the reading's if that failed
 * @param error why it failed, otherwise {@code null}
 * @param bytesRead the bytes actually read to compute the digest
 * @param verifiedAge scans of the series since the digest was last read, 0 if it was read
 * now; -1 without a digest
 * @param reverified whether the file was read only to verify a digest that could have
 * been carried over
 */
record FileRecord(FileEntry entry, int pathNo, byte[] content, FileStatus status, String error, long bytesRead,
		int verifiedAge, boolean reverified) {

	/**
	 * Return the record of an entry that is not read: anything but a regular file, or one
	 * that could not be examined.
	 * @param entry the entry
	 * @param pathNo its path number
	 * @return the record
	 */
	static FileRecord unread(FileEntry entry, int pathNo) {
		return new FileRecord(entry, pathNo, entry.linkTarget(), entry.status(), entry.error(), 0, -1, false);
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
