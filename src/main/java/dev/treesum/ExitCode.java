package dev.treesum;

/**
 * The process exit codes: what a cron job, a CronJob's pod failure policy or a shell
 * script acts on. They are part of treesum's contract and never change meaning.
 */
public enum ExitCode {

	/**
	 * The command did what it was asked; a scan completed (unreadable files are data).
	 */
	COMPLETED(0),

	/**
	 * It failed and can be resumed, or a command failed (a write error on its output
	 * included).
	 */
	FAILED(1),

	/** Bad usage or configuration: nothing was started. */
	USAGE(2),

	/** A scan was stopped by a signal and can be resumed. */
	STOPPED(3),

	/** The same scan is already running elsewhere: nothing was touched. */
	ALREADY_RUNNING(4),

	/** A scan completed and found a change that {@code --fail-on} names. */
	CHANGES_FOUND(5);

	private final int code;

	ExitCode(int code) {
		this.code = code;
	}

	/**
	 * Return the number the process exits with.
	 * @return the code
	 */
	public int code() {
		return this.code;
	}

}
