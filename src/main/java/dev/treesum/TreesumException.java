package dev.treesum;

/**
 * An expected failure, told to the user in one line and carrying the code the process
 * exits with: a scan already running, nothing to resume, a database that cannot be
 * reached. Only a bug ends a command with anything else.
 */
public class TreesumException extends RuntimeException {

	private final ExitCode exitCode;

	public TreesumException(ExitCode exitCode, String message) {
		this(exitCode, message, null);
	}

	public TreesumException(ExitCode exitCode, String message, Throwable cause) {
		super(message, cause);
		this.exitCode = exitCode;
	}

	/**
	 * Return the code the process exits with.
	 * @return the exit code
	 */
	public ExitCode exitCode() {
		return this.exitCode;
	}

}
