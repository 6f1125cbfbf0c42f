package dev.treesum.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark prints, line by line as it goes and its table of figures at the end:
 * on standard output and, so that a long run leaves its figures where the user looks,
 * into {@code target/NAME.txt}.
 */
final class FigureReport {

	private final Path file;

	FigureReport(String name) {
		this.file = Path.of("target", name + ".txt");
		try {
			Files.createDirectories(this.file.getParent());
			Files.writeString(this.file, "");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Path file() {
		return this.file.toAbsolutePath();
	}

	void line(String format, Object... arguments) {
		String text = String.format(Locale.ROOT, format, arguments);
		System.out.println(text);
		try {
			Files.writeString(this.file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Columns padded to their widest cell; the first is aligned left, the others right.
	 */
	void table(List<String> header, List<List<String>> rows) {
		int[] widths = new int[header.size()];
		List<List<String>> all = new ArrayList<>();
		all.add(header);
		all.addAll(rows);
		for (List<String> row : all) {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		for (int r = 0; r < all.size(); r++) {
			List<String> row = all.get(r);
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < row.size(); i++) {
				String cell = row.get(i);
				String pad = " ".repeat(widths[i] - cell.length());
				text.append((i == 0) ? "" : " | ").append((i == 0) ? cell + pad : pad + cell);
			}
			line("%s", text.toString().stripTrailing());
			if (r == 0) {
				StringBuilder rule = new StringBuilder();
				for (int i = 0; i < widths.length; i++) {
					rule.append((i == 0) ? "" : "-+-").append("-".repeat(widths[i]));
				}
				line("%s", rule);
			}
		}
	}

	static String seconds(double seconds) {
		return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.2f", seconds);
	}

	static String bytes(double bytes) {
		String[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
		int unit = 0;
		while (Math.abs(bytes) >= 1024 && unit < units.length - 1) {
			bytes /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, (unit == 0) ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
	}

}
