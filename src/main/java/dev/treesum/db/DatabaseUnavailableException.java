package dev.treesum.db;

/**
 * The database cannot be reached or started: the command fails with exit code 1 and the
 * message, without a stack trace.
 */
public class DatabaseUnavailableException extends RuntimeException {

	public DatabaseUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
