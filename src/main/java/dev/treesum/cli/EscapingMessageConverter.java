package dev.treesum.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.treesum.walk.TerminalEscaping;

/**
 * The message of a plain log line ({@code %m}), escaped for the terminal: a path, or an
 * error from the operating system that names one, never carries a raw control character
 * or escape sequence, whoever logged it.
 */
public class EscapingMessageConverter extends ClassicConverter {

	@Override
	public String convert(ILoggingEvent event) {
		return TerminalEscaping.escape(event.getFormattedMessage());
	}

}
