package dev.treesum.walk;

/**
 * What a directory entry is, from the type bits of its mode. Only regular files are
 * opened.
 */
public enum FileKind {

	FILE("file"), DIRECTORY("directory"), SYMLINK("symlink"), FIFO("fifo"), SOCKET("socket"),
	BLOCK_DEVICE("block-device"), CHAR_DEVICE("char-device"), UNKNOWN("unknown");

	private static final int S_IFMT = 0170000;

	private final String id;

	FileKind(String id) {
		this.id = id;
	}

	/**
	 * Return the name the database stores.
	 * @return the name, such as {@code file}
	 */
	public String id() {
		return this.id;
	}

	static FileKind ofMode(int mode) {
		return switch (mode & S_IFMT) {
			case 0100000 -> FILE;
			case 0040000 -> DIRECTORY;
			case 0120000 -> SYMLINK;
			case 0010000 -> FIFO;
			case 0140000 -> SOCKET;
			case 0060000 -> BLOCK_DEVICE;
			case 0020000 -> CHAR_DEVICE;
			default -> UNKNOWN;
		};
	}

}
