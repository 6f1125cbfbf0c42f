package dev.treesum;

import org.springframework.core.NestedExceptionUtils;

/**
 * Failures told in one line, for operators: the innermost cause names the real problem (a
 * refused connection, a full disk); the outer ones only say where it surfaced.
 */
public final class Failures {

	private Failures() {
	}

	/**
	 * Return the first line of the innermost cause's message.
	 * @param failure the failure
	 * @return the message, or the innermost cause's type if it has none
	 */
	public static String rootMessage(Throwable failure) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
		String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		int newline = message.indexOf('\n');
		return (newline >= 0) ? message.substring(0, newline) : message;
	}

}
