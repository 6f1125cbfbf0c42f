package dev.treesum.walk;

import java.nio.file.Path;

/**
 * One directory entry as the walker found it: where it is, what it is and what
 * {@code lstat} said of it. Entries the walker could not stat carry a status other than
 * {@link FileStatus#OK}, an error message, and no attributes.
 *
 * @param path the path, for opening
 * @param bytes the raw bytes of the absolute path, the entry's identity
 * @param relative the raw bytes of the path relative to the root, for resuming the walk
 * @param kind what it is
 * @param stat its attributes, or {@code null} if it could not be examined
 * @param linkTarget the raw bytes of a symlink's target, otherwise {@code null}
 * @param status {@link FileStatus#OK} unless it could not be examined
 * @param error why not, otherwise {@code null}
 */
public record FileEntry(Path path, byte[] bytes, byte[] relative, FileKind kind, Lstat stat, byte[] linkTarget,
		FileStatus status, String error) {

	/**
	 * Return an entry that could not be examined, or a directory that could not be
	 * listed.
	 * @param path the path
	 * @param bytes its raw bytes
	 * @param relative its raw bytes relative to the root
	 * @param kind what it is, as far as known
	 * @param stat its attributes if they are known, otherwise {@code null}
	 * @param status why it failed
	 * @param error the error message
	 * @return the entry
	 */
	public static FileEntry failed(Path path, byte[] bytes, byte[] relative, FileKind kind, Lstat stat,
			FileStatus status, String error) {
		return new FileEntry(path, bytes, relative, kind, stat, null, status, error);
	}

	/**
	 * Return the size in bytes.
	 * @return the size, 0 if unknown
	 */
	public long size() {
		return (this.stat != null) ? this.stat.size() : 0;
	}

	/**
	 * Return the modification time.
	 * @return nanoseconds since the epoch, 0 if unknown
	 */
	public long mtimeNanos() {
		return (this.stat != null) ? this.stat.mtimeNanos() : 0;
	}

	/**
	 * Return the status change time.
	 * @return nanoseconds since the epoch, 0 if unknown
	 */
	public long ctimeNanos() {
		return (this.stat != null) ? this.stat.ctimeNanos() : 0;
	}

	/**
	 * Return the inode number.
	 * @return the inode, 0 if unknown
	 */
	public long inode() {
		return (this.stat != null) ? this.stat.inode() : 0;
	}

	/**
	 * Return the device of the file system holding the entry.
	 * @return the device id, 0 if unknown
	 */
	public long device() {
		return (this.stat != null) ? this.stat.device() : 0;
	}

	/**
	 * Return the number of hard links.
	 * @return the links, 0 if unknown
	 */
	public int links() {
		return (this.stat != null) ? this.stat.links() : 0;
	}

}
