package dev.treesum.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.treesum.ExitCode;
import dev.treesum.TreesumException;
import dev.treesum.report.Report;
import dev.treesum.report.ReportFormat;
import dev.treesum.report.ScanReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * {@code treesum status}: the recent scans, newest first, or one scan with its
 * partitions.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "status", mixinStandardHelpOptions = true,
		description = "Recent scans of this host (--host: another host's, --all-hosts: every host's): id, host, state, "
				+ "attempts, partitions done, files, bytes, errors, start, duration, the owner of a running one and its "
				+ "roots; with a SCAN_ID, that scan (and, as a table, its partitions: 'report summary' has them as CSV or "
				+ "JSON).")
class StatusCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Parameters(paramLabel = "SCAN_ID", arity = "0..1",
			description = "Show this scan with its partitions: mount point, device, file system, disk, files, "
					+ "bytes, duration, throughput.")
	private Long scanId;

	@Option(names = "--limit", paramLabel = "N", defaultValue = "20",
			description = "How many scans to show (default: ${DEFAULT-VALUE}).")
	private int limit;

	@Mixin
	private FormatOption format;

	@Mixin
	private HostsOption hosts;

	private final ObjectProvider<ScanReports> reports;

	StatusCommand(ObjectProvider<ScanReports> reports) {
		this.reports = reports;
	}

	@Override
	public Integer call() {
		String host = this.hosts.hostOrAll();
		ScanReports scanReports = this.reports.getObject();
		if (this.scanId != null) {
			scanReports.host(this.scanId).ifPresent((scanHost) -> this.hosts.requireHost(this.scanId, scanHost));
		}
		Report scans = (this.scanId != null) ? scanReports.status(this.scanId) : scanReports.recent(this.limit, host);
		PrintWriter out = this.spec.commandLine().getOut();
		if (scans.rows().isEmpty() && this.scanId != null) {
			throw new TreesumException(ExitCode.USAGE, "there is no scan " + this.scanId);
		}
		if (!this.format.isTable()) {
			// Machines get the rows as they are, none at all included.
			this.format.write(scans, out);
			out.flush();
			return ExitCode.COMPLETED.code();
		}
		if (scans.rows().isEmpty()) {
			out.println(((host != null) ? "No scans of host " + host + " yet" : "No scans yet")
					+ ": run 'treesum scan DIR'" + ((host != null) ? ", or see 'treesum status --all-hosts'." : "."));
			out.flush();
			return ExitCode.COMPLETED.code();
		}
		int width = Terminal.width();
		ReportFormat.TABLE.write(scans, out, width);
		if (this.scanId != null) {
			out.println();
			ReportFormat.TABLE.write(scanReports.partitions(this.scanId), out, width);
		}
		out.flush();
		return ExitCode.COMPLETED.code();
	}

}
