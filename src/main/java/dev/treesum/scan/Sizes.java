package dev.treesum.scan;

import java.util.Locale;

/**
 * Byte counts for people: {@code 1.5 GiB}.
 */
public final class Sizes {

	private static final String[] UNITS = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

	private Sizes() {
	}

	/**
	 * Format a byte count with a binary unit.
	 * @param bytes the count
	 * @return such as {@code 512 B} or {@code 1.5 GiB}
	 */
	public static String bytes(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		double value = bytes;
		int unit = 0;
		while (value >= 1024 && unit < UNITS.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
	}

}
