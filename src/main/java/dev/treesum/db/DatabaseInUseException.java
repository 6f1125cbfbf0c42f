package dev.treesum.db;

/**
 * The embedded database's data directory is in use by another treesum process.
 */
public class DatabaseInUseException extends DatabaseUnavailableException {

	public DatabaseInUseException(String message, Throwable cause) {
		super(message, cause);
	}

}
