package dev.treesum.cli;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * A plain log line's stack trace ({@code %ex}), escaped line by line: exception messages
 * may hold names.
 */
public class EscapingThrowableConverter extends ExtendedThrowableProxyConverter {

	@Override
	protected String throwableProxyToString(IThrowableProxy proxy) {
		return TerminalText.lines(super.throwableProxyToString(proxy));
	}

}
