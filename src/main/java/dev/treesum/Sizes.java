package dev.treesum;

import java.time.Duration;
import java.util.Locale;

/**
 * Quantities for people: byte counts with binary units ({@code 1.5 GiB}) and durations
 * ({@code 4.2 s}, {@code 3m07s}, {@code 2h05m}), the same in tables, logs and the last
 * line of a scan.
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

	/**
	 * Format a duration to the precision a person needs: tenths of seconds under a
	 * minute, then seconds, then minutes.
	 * @param duration the duration
	 * @return such as {@code 4.2 s}, {@code 3m07s} or {@code 2h05m}
	 */
	public static String duration(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
		}
		if (seconds < 3600) {
			return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
		}
		return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
	}

}
