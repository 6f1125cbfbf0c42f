package dev.treesum.report;

import java.util.Map;

/**
 * The forms {@code export} writes.
 */
public enum ExportFormat {

	/**
	 * The lines of the scan's algorithm's own tool, {@code <hex>  <path>}, which that
	 * tool checks with {@code -c}.
	 */
	SUMS,

	/** {@link #SUMS} of a sha256 scan, by the name it had first. */
	SHA256SUM,

	/** A header row, then one row per entry. */
	CSV;

	private static final Map<String, String> TOOLS = Map.of("sha256", "sha256sum", "sha1", "sha1sum", "md5", "md5sum",
			"xxh128", "xxhsum -H2");

	/**
	 * Return the tool whose lines {@link #SUMS} writes for an algorithm.
	 * @param algorithm the algorithm's name, as a scan records it
	 * @return the tool, such as {@code sha256sum}, or {@code null} if none has the format
	 */
	public static String tool(String algorithm) {
		return TOOLS.get(algorithm);
	}

}
