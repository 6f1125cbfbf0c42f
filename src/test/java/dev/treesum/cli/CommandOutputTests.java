package dev.treesum.cli;

import java.io.IOException;
import java.io.OutputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A write error is not swallowed as {@link java.io.PrintWriter} would: it stops the
 * command, and tells a closed pipe from a real failure.
 */
class CommandOutputTests {

	@Test
	void aFullDiskStopsTheWriterAtTheFirstFailedWrite() {
		Failing disk = new Failing("No space left on device");
		CommandOutput out = new CommandOutput(disk, () -> false);

		assertThatExceptionOfType(OutputFailure.class).isThrownBy(() -> out.print("x".repeat(100_000)))
			.satisfies((failure) -> assertThat(failure.isClosedPipe()).isFalse())
			.withMessage("No space left on device");
		assertThat(out.failure()).isNotNull();
		int attempts = disk.attempts;
		assertThatExceptionOfType(OutputFailure.class).isThrownBy(() -> out.bytes().write(1));
		assertThat(disk.attempts).as("a failed stream is not written again").isEqualTo(attempts);
	}

	@Test
	void aBrokenPipeIsAClosedPipe() {
		CommandOutput out = new CommandOutput(new Failing("Broken pipe"), () -> false);

		assertThatExceptionOfType(OutputFailure.class).isThrownBy(() -> out.bytes().write(new byte[1 << 17]))
			.satisfies((failure) -> assertThat(failure.isClosedPipe()).isTrue());
	}

	@Test
	void anyErrorOnAPipeIsAClosedPipeWhateverTheLocaleCallsIt() {
		CommandOutput out = new CommandOutput(new Failing("Relais brisé (pipe)"), () -> true);

		assertThatExceptionOfType(OutputFailure.class).isThrownBy(() -> out.println("x".repeat(1 << 17)));
		assertThat(out.failure()).isNotNull().satisfies((failure) -> assertThat(failure.isClosedPipe()).isTrue());
	}

	private static final class Failing extends OutputStream {

		private final String message;

		private int attempts;

		Failing(String message) {
			this.message = message;
		}

		@Override
		public void write(int b) throws IOException {
			this.attempts++;
			throw new IOException(this.message);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.attempts++;
			throw new IOException(this.message);
		}

	}

}
