package dev.treesum.scan;

import java.util.List;

import dev.treesum.walk.FileEntry;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The digests of the previous completed scan of the same roots, for
 * {@code --incremental}: a file whose size, modification time, change time and inode are
 * all unchanged takes its previous digest without being read. A rewrite that restores the
 * modification time still changes the change time, which no user can set.
 */
class PreviousDigests {

	/** Nothing to carry over: every file is read. */
	static final PreviousDigests NONE = new PreviousDigests(null, null);

	private final JdbcTemplate jdbc;

	private final Long previousScanId;

	/**
	 * Create the digests of a previous scan.
	 * @param jdbc the database
	 * @param previousScanId the scan to take them from, or {@code null} to read every
	 * file
	 */
	PreviousDigests(JdbcTemplate jdbc, Long previousScanId) {
		this.jdbc = jdbc;
		this.previousScanId = previousScanId;
	}

	/**
	 * Return the previous digest of an unchanged file.
	 * @param entry the file as listed now
	 * @return its digest in the previous scan, or {@code null} if it must be read
	 */
	byte[] find(FileEntry entry) {
		if (this.previousScanId == null) {
			return null;
		}
		List<byte[]> digests = this.jdbc.queryForList(
				"select digest from treesum_file where scan_id = ? and path = ? "
						+ "and kind = 'file' and status = 'ok' and digest is not null and size = ? and mtime_ns = ? "
						+ "and ctime_ns = ? and inode = ?",
				byte[].class, this.previousScanId, entry.bytes(), entry.size(), entry.mtimeNanos(), entry.ctimeNanos(),
				entry.inode());
		return digests.isEmpty() ? null : digests.get(0);
	}

}
