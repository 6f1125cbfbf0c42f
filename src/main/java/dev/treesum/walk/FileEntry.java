package dev.treesum.walk;

import java.nio.file.Path;

/**
 * One directory entry as the walker found it: where it is, what it is and its
 * {@code lstat} attributes. Entries the walker could not stat carry a status other than
 * {@link FileStatus#OK} and an error message.
 *
 * @param path the path, for opening
 * @param bytes the raw bytes of the absolute path, the entry's identity
 * @param relative the raw bytes of the path relative to the root, for resuming the walk
 * @param kind what it is
 * @param size the size in bytes
 * @param mtimeNanos the modification time, nanoseconds since the epoch
 * @param ctimeNanos the status change time, nanoseconds since the epoch
 * @param inode the inode number
 * @param device the device id of the file system holding it
 * @param links the number of hard links
 * @param linkTarget the raw bytes of a symlink's target, otherwise {@code null}
 * @param status {@link FileStatus#OK} unless it could not be examined
 * @param error why not, otherwise {@code null}
 */
public record FileEntry(Path path, byte[] bytes, byte[] relative, FileKind kind, long size, long mtimeNanos,
		long ctimeNanos, long inode, long device, int links, byte[] linkTarget, FileStatus status, String error) {

	public static FileEntry failed(Path path, byte[] bytes, byte[] relative, FileKind kind, FileStatus status,
			String error) {
		return new FileEntry(path, bytes, relative, kind, 0, 0, 0, 0, 0, 0, null, status, error);
	}

}
