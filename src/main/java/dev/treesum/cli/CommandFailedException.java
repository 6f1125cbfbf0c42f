package dev.treesum.cli;

/**
 * An expected failure of a command: its message is printed as it is, without a stack
 * trace, and the process exits with its code.
 */
class CommandFailedException extends RuntimeException {

	private final int exitCode;

	CommandFailedException(int exitCode, String message) {
		super(message);
		this.exitCode = exitCode;
	}

	int exitCode() {
		return this.exitCode;
	}

}
