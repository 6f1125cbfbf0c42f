package dev.treesum.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verbosity is read from the raw arguments before Spring sets up logging, wherever
 * the option stands.
 */
class VerbosityTests {

	@Test
	void optionsCountBeforeOrAfterTheCommandButNotAfterDoubleDash() {
		assertThat(Verbosity.of("scan", "/data")).isEqualTo(Verbosity.NORMAL);
		assertThat(Verbosity.of("-q", "scan", "/data")).isEqualTo(Verbosity.QUIET);
		assertThat(Verbosity.of("scan", "--quiet", "/data")).isEqualTo(Verbosity.QUIET);
		assertThat(Verbosity.of("report", "errors", "-v")).isEqualTo(Verbosity.VERBOSE);
		assertThat(Verbosity.of("scan", "--", "-q")).isEqualTo(Verbosity.NORMAL);
	}

}
