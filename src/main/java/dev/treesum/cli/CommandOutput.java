package dev.treesum.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * A command's standard output: text for people, UTF-8, and under it the byte stream for
 * what must reach the output exactly, such as the raw bytes of file names in an export. A
 * {@link PrintWriter} swallows write errors; this one turns the first into an
 * {@link OutputFailure} that stops the command, so that a full disk never leaves a
 * truncated file behind a command that exited 0.
 */
class CommandOutput extends PrintWriter {

	private final OutputStream bytes;

	private final CheckedStream checked;

	CommandOutput(OutputStream out) {
		this(out, () -> false);
	}

	/**
	 * Create the output over a stream.
	 * @param out the stream, one that reports write errors (not a
	 * {@link java.io.PrintStream})
	 * @param isPipe whether it is a pipe, where any write error means the reader is gone
	 */
	CommandOutput(OutputStream out, BooleanSupplier isPipe) {
		this(new CheckedStream(out, isPipe));
	}

	private CommandOutput(CheckedStream checked) {
		this(checked, new BufferedOutputStream(checked, 1 << 16));
	}

	private CommandOutput(CheckedStream checked, BufferedOutputStream bytes) {
		super(new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
		this.checked = checked;
		this.bytes = bytes;
	}

	/**
	 * Return the first write that failed.
	 * @return the failure, or {@code null} if every write so far succeeded
	 */
	OutputFailure failure() {
		return this.checked.failure;
	}

	/**
	 * Return the byte stream under this writer, with whatever text was written so far
	 * passed on to it, so that bytes and text keep their order.
	 * @return the byte stream
	 */
	OutputStream bytes() {
		flush();
		return this.bytes;
	}

	/**
	 * Return whether the process's standard output is a pipe or a socket, from
	 * {@code /proc}: there a write fails only when the reader has gone, whatever the
	 * locale calls that error.
	 * @return {@code true} for a pipe or a socket
	 */
	static boolean isStdoutPipe() {
		try {
			String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
			return target.startsWith("pipe:") || target.startsWith("socket:");
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

	/**
	 * Passes writes on, and turns the first failure into an {@link OutputFailure}, which
	 * {@code PrintWriter} does not catch; after it, every write fails the same way
	 * without touching the stream again.
	 */
	private static final class CheckedStream extends FilterOutputStream {

		private final BooleanSupplier isPipe;

		private OutputFailure failure;

		CheckedStream(OutputStream out, BooleanSupplier isPipe) {
			super(out);
			this.isPipe = isPipe;
		}

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) {
			check();
			try {
				this.out.write(b, off, len);
			}
			catch (IOException ex) {
				throw fail(ex);
			}
		}

		@Override
		public void flush() {
			check();
			try {
				this.out.flush();
			}
			catch (IOException ex) {
				throw fail(ex);
			}
		}

		private void check() {
			if (this.failure != null) {
				throw this.failure;
			}
		}

		private OutputFailure fail(IOException ex) {
			boolean closedPipe = "Broken pipe".equals(ex.getMessage()) || this.isPipe.getAsBoolean();
			this.failure = new OutputFailure(ex, closedPipe);
			return this.failure;
		}

	}

}
