package dev.treesum.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors and multi-line text are escaped with the one escaping of names, keeping only
 * their own line structure.
 */
class TerminalTextTests {

	@Test
	void linesKeepTheirEndsAndIndentationAndEscapeTheRest() {
		String trace = "java.io.IOException: /data/\033[31mred\r\n\tat Example.run(Example.java:1)\n\tat x\t\u009b\n";

		assertThat(TerminalText.lines(trace)).isEqualTo(
				"java.io.IOException: /data/\\033[31mred\\r\n\tat Example.run(Example.java:1)\n\tat x\\t\\302\\233\n");
	}

	@Test
	void anErrorIsOneLineWhateverTheMessageHolds() {
		StringWriter err = new StringWriter();

		TerminalText.error(new PrintWriter(err), "cannot read /data/new\nline\033]0;title\007");

		assertThat(err.toString()).isEqualTo("treesum: cannot read /data/new\\nline\\033]0;title\\a\n");
	}

}
