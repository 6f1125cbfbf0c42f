package dev.treesum.bench;

/**
 * A command of a workload exited non-zero: the workload ends there, the benchmark prints
 * what it has and then fails.
 */
final class CommandFailedException extends RuntimeException {

	CommandFailedException(String message) {
		super(message);
	}

}
