package dev.treesum.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * Lines kept at the bottom of a terminal on standard error, such as progress bars, with
 * everything else written to standard error (log lines) passing above them: while the
 * lines are shown, {@code System.err}, where the logs go, erases them, writes, and draws
 * them again under what it wrote.
 */
final class StderrLines {

	private static final String ERASE_LINE = "\r\033[K";

	private static final String UP = "\033[1A";

	private static final long WIDTH_CHECK_NANOS = 2_000_000_000L;

	private final OutputStream terminal = new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 8192);

	private final List<Line> lines = new ArrayList<>();

	private final PrintStream previous;

	private int drawn;

	private boolean midLine;

	private int width;

	private long widthCheckedAt;

	private StderrLines() {
		this.previous = System.err;
		this.width = Terminal.stderrWidth();
		this.widthCheckedAt = System.nanoTime();
	}

	/**
	 * Put standard error under the lines' control until {@link #close()}.
	 * @return the lines, none yet
	 */
	static StderrLines install() {
		StderrLines lines = new StderrLines();
		System.err.flush();
		System.setErr(new PrintStream(lines.new Passing(), true, StandardCharsets.UTF_8));
		return lines;
	}

	/**
	 * Add a line at the bottom.
	 * @return the line, which a progress bar fills
	 */
	synchronized Line add() {
		Line line = new Line();
		erase();
		this.lines.add(line);
		draw();
		return line;
	}

	/**
	 * Return whether any line is shown.
	 * @return {@code true} until the last line is removed
	 */
	synchronized boolean isEmpty() {
		return this.lines.isEmpty();
	}

	/**
	 * Give standard error back as it was, with the lines erased.
	 */
	synchronized void close() {
		erase();
		this.lines.clear();
		flush();
		System.setErr(this.previous);
	}

	private synchronized void remove(Line line) {
		erase();
		this.lines.remove(line);
		draw();
	}

	private synchronized void update(Line line, String text) {
		line.text = text;
		if (!this.midLine) {
			erase();
			draw();
		}
	}

	private synchronized int width() {
		long now = System.nanoTime();
		if (now - this.widthCheckedAt > WIDTH_CHECK_NANOS) {
			this.width = Terminal.stderrWidth();
			this.widthCheckedAt = now;
		}
		return this.width;
	}

	private void erase() {
		if (this.drawn == 0) {
			return;
		}
		StringBuilder erase = new StringBuilder(ERASE_LINE);
		for (int i = 1; i < this.drawn; i++) {
			erase.append(UP).append(ERASE_LINE);
		}
		write(erase.toString().getBytes(StandardCharsets.US_ASCII));
		this.drawn = 0;
	}

	private void draw() {
		StringBuilder draw = new StringBuilder();
		for (int i = 0; i < this.lines.size(); i++) {
			draw.append((i == 0) ? "\r" : "\n").append(this.lines.get(i).text).append("\033[K");
		}
		write(draw.toString().getBytes(StandardCharsets.UTF_8));
		this.drawn = this.lines.size();
		flush();
	}

	private void write(byte[] bytes) {
		try {
			this.terminal.write(bytes);
		}
		catch (IOException ex) {
			// a terminal that is gone shows nothing
		}
	}

	private void flush() {
		try {
			this.terminal.flush();
		}
		catch (IOException ex) {
			// as above
		}
	}

	/**
	 * One line at the bottom, as a progress bar's consumer: the bar renders itself into
	 * it, one column short of the terminal's width so that it never wraps.
	 */
	final class Line implements ProgressBarConsumer {

		private String text = "";

		@Override
		public int getMaxRenderedLength() {
			return Math.max(width() - 1, 10);
		}

		@Override
		public void accept(String rendered) {
			update(this, rendered);
		}

		@Override
		public void clear() {
			update(this, "");
		}

		@Override
		public void close() {
			remove(this);
		}

	}

	/**
	 * What others write to standard error: the lines step aside for it.
	 */
	private final class Passing extends OutputStream {

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			if (length == 0) {
				return;
			}
			synchronized (StderrLines.this) {
				if (!StderrLines.this.midLine) {
					erase();
				}
				try {
					StderrLines.this.terminal.write(bytes, offset, length);
				}
				catch (IOException ex) {
					// as above
				}
				StderrLines.this.midLine = bytes[offset + length - 1] != '\n';
				if (!StderrLines.this.midLine) {
					draw();
				}
				else {
					StderrLines.this.flush();
				}
			}
		}

		@Override
		public void flush() {
			synchronized (StderrLines.this) {
				StderrLines.this.flush();
			}
		}

	}

}
