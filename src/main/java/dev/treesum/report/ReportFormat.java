package dev.treesum.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * How a report is printed: a table for people, sized to the terminal; CSV with a header
 * row and JSON (an array of objects) for machines.
 */
public enum ReportFormat {

	table {
		@Override
		public void write(Report report, PrintWriter out, int width) {
			List<String[]> cells = new ArrayList<>();
			cells.add(report.columns().stream().map((column) -> column.toUpperCase()).toArray(String[]::new));
			for (List<Object> row : report.rows()) {
				cells.add(row.stream().map(ReportFormat::text).toArray(String[]::new));
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

	csv {
		@Override
		public void write(Report report, PrintWriter out, int width) {
			out.print(Csv.row(report.columns().toArray(String[]::new)));
			for (List<Object> row : report.rows()) {
				out.print(Csv.row(row.stream().map(ReportFormat::text).toArray(String[]::new)));
			}
		}
	},

	json {
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
	 * @param width the terminal's width, for tables
	 */
	public abstract void write(Report report, PrintWriter out, int width);

	private static String text(Object value) {
		return (value != null) ? value.toString() : "";
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
				total -= widths[i] - Math.max(16, widths[i] - (total - 2 - width));
				widths[i] = Math.max(16, widths[i] - (total - 2 - width));
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
