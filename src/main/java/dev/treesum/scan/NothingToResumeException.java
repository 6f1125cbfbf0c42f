package dev.treesum.scan;

/**
 * {@code restart} was asked for a scan that does not exist or has nothing left to do.
 */
public class NothingToResumeException extends RuntimeException {

	public NothingToResumeException(String message) {
		super(message);
	}

}
