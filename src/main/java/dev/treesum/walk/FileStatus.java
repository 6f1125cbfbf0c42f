package dev.treesum.walk;

/**
 * The outcome of recording one entry. Anything but {@link #OK} is an error that
 * {@code report errors} lists; none of them stops the scan.
 */
public enum FileStatus {

	/** Recorded, and hashed if it is a regular file. */
	OK("ok"),

	/** Permission denied while listing or reading. */
	UNREADABLE("unreadable"),

	/** Listed, then gone before it could be read. */
	VANISHED("vanished"),

	/** Size or modification time moved while it was read: its digest is not trusted. */
	CHANGED_DURING_READ("changed-during-read"),

	/** Any other I/O error, such as a name too long for the kernel or a failing disk. */
	IO_ERROR("io-error");

	private final String id;

	FileStatus(String id) {
		this.id = id;
	}

	/**
	 * Return the name the database stores.
	 * @return the name, such as {@code changed-during-read}
	 */
	public String id() {
		return this.id;
	}

}
