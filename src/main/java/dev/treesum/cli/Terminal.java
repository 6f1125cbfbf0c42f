package dev.treesum.cli;

import java.util.List;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * What the commands know of the terminal they print to, from JLine: whether standard
 * output or standard error is a terminal ({@code isatty}) and how wide it is
 * ({@code TIOCGWINSZ}), through JNI, else through {@code test -t} and {@code stty}.
 * Loaded only by what prints tables or progress, so other commands start without it.
 */
final class Terminal {

	/** The width of what is not a terminal: a file or a pipe gets every character. */
	static final int UNLIMITED = Integer.MAX_VALUE;

	/** A terminal that does not say how wide it is. */
	private static final int FALLBACK_WIDTH = 80;

	private static final TerminalProvider provider = provider();

	private Terminal() {
	}

	/**
	 * Return the width tables on standard output fit.
	 * @return the terminal's width, or {@link #UNLIMITED} when standard output is not a
	 * terminal
	 */
	static int width() {
		return isTerminal(SystemStream.Output) ? width(SystemStream.Output) : UNLIMITED;
	}

	/**
	 * Return whether standard error is a terminal, where a person watches.
	 * @return {@code true} if it is
	 */
	static boolean isStderrTerminal() {
		return isTerminal(SystemStream.Error);
	}

	/**
	 * Return the width of standard error, when it is a terminal.
	 * @return the width in columns
	 */
	static int stderrWidth() {
		return width(SystemStream.Error);
	}

	private static boolean isTerminal(SystemStream stream) {
		return provider != null && provider.isSystemStream(stream);
	}

	private static int width(SystemStream stream) {
		int width = (provider != null) ? provider.systemStreamWidth(stream) : -1;
		return (width > 0) ? width : FALLBACK_WIDTH;
	}

	/**
	 * The JNI provider answers without starting a process; where its native library
	 * cannot load, the exec provider runs {@code test} and {@code stty}.
	 */
	private static TerminalProvider provider() {
		for (String name : List.of("jni", "exec")) {
			try {
				TerminalProvider candidate = TerminalProvider.load(name);
				candidate.isSystemStream(SystemStream.Output);
				return candidate;
			}
			catch (Throwable ex) {
				// the next one
			}
		}
		return null;
	}

}
