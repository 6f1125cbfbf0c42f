package dev.treesum.report;

/**
 * The forms {@code export} writes.
 */
public enum ExportFormat {

	/** {@code <hex>  <path>}, what {@code sha256sum -c} checks. */
	SHA256SUM,

	/** A header row, then one row per entry. */
	CSV

}
