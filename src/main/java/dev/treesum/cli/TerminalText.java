package dev.treesum.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.treesum.walk.TerminalEscaping;

/**
 * Text for people that may hold file names or what the operating system said about them,
 * made safe with {@link TerminalEscaping}: one-line errors, and text of several lines (a
 * stack trace) whose line ends and indentation are its own.
 */
final class TerminalText {

	private TerminalText() {
	}

	/**
	 * Print a one-line error: {@code treesum: } and the escaped message.
	 * @param err standard error
	 * @param message what went wrong
	 */
	static void error(PrintWriter err, String message) {
		err.println("treesum: " + TerminalEscaping.escape(message));
		err.flush();
	}

	/**
	 * Print what a bug threw, with its stack trace, escaped line by line.
	 * @param err standard error
	 * @param failure the exception
	 */
	static void stackTrace(PrintWriter err, Throwable failure) {
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		err.print(lines(trace.toString()));
		err.flush();
	}

	/**
	 * Escape text of several lines, each on its own: the newlines between lines and the
	 * tabs that indent them stay, any other control is escaped.
	 * @param text the text
	 * @return the escaped text
	 */
	static String lines(String text) {
		StringBuilder out = new StringBuilder(text.length() + 16);
		int start = 0;
		while (start <= text.length()) {
			int end = text.indexOf('\n', start);
			if (end < 0) {
				end = text.length();
			}
			int indent = start;
			while (indent < end && text.charAt(indent) == '\t') {
				indent++;
			}
			out.append(text, start, indent).append(TerminalEscaping.escape(text.substring(indent, end)));
			if (end < text.length()) {
				out.append('\n');
			}
			start = end + 1;
		}
		return out.toString();
	}

}
