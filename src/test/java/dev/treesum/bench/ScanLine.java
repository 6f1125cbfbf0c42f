package dev.treesum.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of {@code treesum scan}:
 * {@code scan N completed: F files, B, E errors in S s}, which names the scan and what it
 * saw.
 *
 * @param scanId the scan's id
 * @param files the entries it recorded
 * @param bytes their size as printed
 * @param errors entries that could not be hashed
 * @param seconds the scan's own duration, NaN if the line has none
 * @param text the line
 */
record ScanLine(long scanId, long files, String bytes, long errors, double seconds, String text) {

	private static final Pattern LINE = Pattern
		.compile("^scan (\\d+) completed: ([\\d,]+) files?, (.+?), ([\\d,]+) errors?(.*)$", Pattern.MULTILINE);

	/** As treesum prints a duration: {@code 4.2 s}, {@code 3m07s} or {@code 2h05m}. */
	private static final Pattern SECONDS = Pattern.compile(" in (?:([\\d.,]+) s|(\\d+)m(\\d+)s|(\\d+)h(\\d+)m)\\b");

	/**
	 * @return the last such line of the output, null if there is none
	 */
	static ScanLine parse(String stdout) {
		Matcher line = LINE.matcher(stdout);
		ScanLine last = null;
		while (line.find()) {
			Matcher seconds = SECONDS.matcher(line.group(5));
			last = new ScanLine(Long.parseLong(line.group(1)), number(line.group(2)), line.group(3),
					number(line.group(4)), seconds.find() ? seconds(seconds) : Double.NaN, line.group().trim());
		}
		return last;
	}

	private static double seconds(Matcher duration) {
		if (duration.group(1) != null) {
			return Double.parseDouble(duration.group(1).replace(",", ""));
		}
		if (duration.group(2) != null) {
			return Long.parseLong(duration.group(2)) * 60 + Long.parseLong(duration.group(3));
		}
		return Long.parseLong(duration.group(4)) * 3600 + Long.parseLong(duration.group(5)) * 60;
	}

	private static long number(String digits) {
		return Long.parseLong(digits.replace(",", ""));
	}

}
