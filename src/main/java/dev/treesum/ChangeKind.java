package dev.treesum;

import java.util.Locale;

/**
 * What a completed scan can find against the previous completed scan of the same host and
 * roots: the kinds of change that {@code report changes} lists, and entries that could
 * not be examined or hashed. {@code scan --fail-on} names some of them.
 */
public enum ChangeKind {

	/** A path that the previous scan did not have. */
	ADDED,

	/** A path that the previous scan had and this one does not. */
	DELETED,

	/** The content changed, and the size or the modification time with it. */
	MODIFIED,

	/** The content changed while the size and the modification time did not. */
	CORRUPTED,

	/** A deleted path's content and size reappear at an added path. */
	MOVED,

	/** Entries of this scan that could not be examined or hashed. */
	ERRORS;

	/**
	 * Return the name as the reports, the command line and the metrics spell it.
	 * @return such as {@code corrupted}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
