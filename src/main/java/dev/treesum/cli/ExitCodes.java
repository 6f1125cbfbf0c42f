package dev.treesum.cli;

import org.springframework.batch.core.BatchStatus;

/**
 * The process exit codes, as DESIGN.md fixes them.
 */
final class ExitCodes {

	static final int COMPLETED = 0;

	static final int FAILED = 1;

	static final int USAGE = 2;

	static final int STOPPED = 3;

	static final int ALREADY_RUNNING = 4;

	private ExitCodes() {
	}

	static int of(BatchStatus status) {
		return switch (status) {
			case COMPLETED -> COMPLETED;
			case STOPPED, STOPPING -> STOPPED;
			default -> FAILED;
		};
	}

}
