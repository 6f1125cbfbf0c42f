package dev.treesum.cli;

import java.io.IOException;

/**
 * A write to standard output failed: the command stops at once (an export leaves its
 * query as soon as the exception leaves the row callback) and fails, unless the reader
 * closed the pipe, which ends it quietly as {@code SIGPIPE} ends other tools.
 */
class OutputFailure extends RuntimeException {

	private final boolean closedPipe;

	OutputFailure(IOException cause, boolean closedPipe) {
		super(cause.getMessage(), cause, false, false);
		this.closedPipe = closedPipe;
	}

	/**
	 * Return whether the reader closed the pipe, as {@code head} does when it has read
	 * enough.
	 * @return {@code true} for a closed pipe, {@code false} for a real write error
	 */
	boolean isClosedPipe() {
		return this.closedPipe;
	}

}
