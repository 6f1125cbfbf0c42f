package dev.treesum.cli;

import java.io.PrintWriter;

import dev.treesum.report.Report;
import dev.treesum.report.ReportFormat;
import picocli.CommandLine.Option;

/**
 * {@code --format table|csv|json}, shared by the commands that print a report: a table
 * fits the terminal when it goes to one, CSV and JSON are never cut.
 */
class FormatOption {

	@Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
			description = "table, csv or json (default: ${DEFAULT-VALUE}).")
	private ReportFormat format;

	/**
	 * Return whether the report is for people.
	 * @return {@code true} for a table
	 */
	boolean isTable() {
		return this.format == ReportFormat.TABLE;
	}

	/**
	 * Write a report in the format asked for.
	 * @param report the report
	 * @param out where it goes
	 */
	void write(Report report, PrintWriter out) {
		// Only a table asks whether it goes to a terminal.
		this.format.write(report, out, isTable() ? Terminal.width() : Terminal.UNLIMITED);
	}

}
