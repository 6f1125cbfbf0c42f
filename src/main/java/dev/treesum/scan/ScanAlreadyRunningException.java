package dev.treesum.scan;

/**
 * The scan asked for is running in a live process: nothing was touched.
 */
public class ScanAlreadyRunningException extends RuntimeException {

	public ScanAlreadyRunningException(String message) {
		super(message);
	}

}
