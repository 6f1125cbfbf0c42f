package dev.treesum.cli;

/**
 * What the commands know of the terminal they print to.
 */
final class Terminal {

	private static final int DEFAULT_WIDTH = 160;

	private Terminal() {
	}

	/**
	 * The shell exports {@code COLUMNS} to a terminal's programs; without it, a common
	 * width.
	 * @return the width tables fit
	 */
	static int width() {
		try {
			return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", Integer.toString(DEFAULT_WIDTH)));
		}
		catch (NumberFormatException ex) {
			return DEFAULT_WIDTH;
		}
	}

}
