package dev.treesum.report;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import dev.treesum.Sizes;
import dev.treesum.walk.TerminalEscaping;

/**
 * How a report is printed: a table for people, sized to the terminal, with sizes,
 * durations and local times as people read them and every cell escaped for the terminal
 * (a name's control characters never reach it raw); CSV with a header row and JSON (an
 * array of objects) for machines, with exact numbers, ISO-8601 instants, durations in
 * seconds and text as it is.
 */
public enum ReportFormat {

	TABLE {
		@Override
		public void write(Report report, PrintWriter out, int width) {
			List<String[]> cells = new ArrayList<>();
			cells.add(report.columns().stream().map((column) -> column.toUpperCase()).toArray(String[]::new));
			for (List<Object> row : report.rows()) {
				String[] cell = new String[row.size()];
				for (int i = 0; i < cell.length; i++) {
					cell[i] = TerminalEscaping.escape(human(report.columns().get(i), row.get(i)));
				}
				cells.add(cell);
			}
			int[] widths = new int[report.columns().size()];
			for (String[] row : cells) {
				for (int i = 0; i < row.length; i++) {
					widths[i] = Math.max(widths[i], row[i].length());
				}
			}
			fit(report.columns(), widths, width);
			for (String[] row : cells) {
				StringBuilder line = new StringBuilder();
				for (int i = 0; i < row.length; i++) {
					String cell = cut(row[i], widths[i], isDigest(report.columns().get(i)));
					line.append(cell);
					if (i < row.length - 1) {
						line.append(" ".repeat(widths[i] - cell.length() + 2));
					}
				}
				out.println(line.toString().stripTrailing());
			}
			if (report.rows().isEmpty()) {
				out.println("(none)");
			}
		}
	},

	CSV {
		@Override
		public void write(Report report, PrintWriter out, int width) {
			out.print(Csv.row(report.columns().toArray(String[]::new)));
			for (List<Object> row : report.rows()) {
				out.print(Csv.row(row.stream().map(ReportFormat::text).toArray(String[]::new)));
			}
		}
	},

	JSON {
		@Override
		public void write(Report report, PrintWriter out, int width) {
			out.print('[');
			for (int r = 0; r < report.rows().size(); r++) {
				out.print((r == 0) ? "\n  {" : ",\n  {");
				List<Object> row = report.rows().get(r);
				for (int i = 0; i < row.size(); i++) {
					if (i > 0) {
						out.print(", ");
					}
					out.print(Json.string(report.columns().get(i)));
					out.print(": ");
					out.print(Json.value(row.get(i)));
				}
				out.print('}');
			}
			out.println(report.rows().isEmpty() ? "]" : "\n]");
		}
	};

	/**
	 * Print a report.
	 * @param report the report
	 * @param out where to
	 * @param width the terminal's width, for tables; {@link Integer#MAX_VALUE} cuts
	 * nothing
	 */
	public abstract void write(Report report, PrintWriter out, int width);

	private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneId.systemDefault());

	private static String text(Object value) {
		if (value instanceof Duration duration) {
			return Json.seconds(duration);
		}
		return (value != null) ? value.toString() : "";
	}

	/**
	 * Return a value as a person reads it: byte counts with units, durations, local
	 * times.
	 */
	private static String human(String column, Object value) {
		if (value instanceof Instant instant) {
			return LOCAL_TIME.format(instant);
		}
		if (value instanceof Duration duration) {
			return Sizes.duration(duration);
		}
		if (value instanceof Number number && isBytes(column)) {
			return Sizes.bytes(number.longValue()) + (column.endsWith("per_second") ? "/s" : "");
		}
		return text(value);
	}

	private static boolean isBytes(String column) {
		return column.equals("bytes") || column.startsWith("bytes_");
	}

	/**
	 * Make the table fit the terminal: digests shrink first (to a prefix, as short hashes
	 * go), then the widest columns, paths usually, which keep their end.
	 */
	private static void fit(List<String> columns, int[] widths, int width) {
		int total = 0;
		for (int w : widths) {
			total += w + 2;
		}
		for (int i = 0; i < widths.length && total - 2 > width; i++) {
			if (isDigest(columns.get(i)) && widths[i] > 16) {
				int shrunk = Math.max(16, widths[i] - (total - 2 - width));
				total -= widths[i] - shrunk;
				widths[i] = shrunk;
			}
		}
		while (total - 2 > width) {
			int widest = 0;
			for (int i = 1; i < widths.length; i++) {
				if (widths[i] > widths[widest]) {
					widest = i;
				}
			}
			if (widths[widest] <= 8) {
				return;
			}
			widths[widest]--;
			total--;
		}
	}

	private static boolean isDigest(String column) {
		return column.endsWith("digest");
	}

	private static String cut(String cell, int width, boolean keepStart) {
		if (cell.length() <= width) {
			return cell;
		}
		return keepStart ? cell.substring(0, width - 1) + "…" : "…" + cell.substring(cell.length() - width + 1);
	}

}
