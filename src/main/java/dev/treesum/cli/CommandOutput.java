package dev.treesum.cli;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A command's standard output: text for people, UTF-8, and under it the byte stream for
 * what must reach the output exactly, such as the raw bytes of file names in an export.
 */
class CommandOutput extends PrintWriter {

	private final OutputStream bytes;

	CommandOutput(OutputStream out) {
		this(new BufferedOutputStream(out, 1 << 16));
	}

	private CommandOutput(BufferedOutputStream bytes) {
		super(new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
		this.bytes = bytes;
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

}
