package dev.treesum.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.treesum.ExitCode;
import dev.treesum.TreesumException;
import dev.treesum.report.Report;
import dev.treesum.report.ScanReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * {@code treesum report KIND}: the operator's morning questions, from the SQL in
 * {@code db/}.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "report", mixinStandardHelpOptions = true,
		description = {
				"Report on a scan of this host (--host: another host's; --all-hosts: the latest completed scan "
						+ "of every host and set of roots, with host and scan columns):",
				"  summary     per partition: files, bytes, errors, duration, throughput, the oldest verification "
						+ "by reading and the share verified within 7 and 30 days",
				"  changes     added, deleted, modified, corrupted (content changed, size and mtime did not), moved, "
						+ "attributes (mode, owner or group changed, content not); touched (mtime changed, content "
						+ "not) with --include-touched",
				"  duplicates  groups of files with the same digest and size (hard links count once)",
				"  errors      files that could not be hashed, and why",
				"  stale       files not verified by reading within --older-than, oldest first" })
class ReportCommand implements Callable<Integer> {

	/** The kinds of report. */
	enum Kind {

		SUMMARY, CHANGES, DUPLICATES, ERRORS, STALE

	}

	@Spec
	private CommandSpec spec;

	@Parameters(paramLabel = "KIND", description = "summary, changes, duplicates, errors or stale.")
	private Kind kind;

	@Option(names = "--scan", paramLabel = "ID", description = "The scan (default: the host's latest completed one).")
	private Long scanId;

	@Mixin
	private HostsOption hosts;

	@Option(names = "--base", paramLabel = "ID",
			description = "For changes: the scan to compare with (default: the previous completed scan of the same "
					+ "roots and host).")
	private Long baseId;

	@Mixin
	private FormatOption format;

	@Option(names = "--include-empty", description = "For duplicates: count empty files too.")
	private boolean includeEmpty;

	@Option(names = "--include-touched",
			description = "For changes: also list files whose modification time changed while their content did not.")
	private boolean includeTouched;

	@Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "30d", converter = AgeConverter.class,
			description = "For stale: how long ago a file may have been verified by reading at most, in weeks (w), "
					+ "days (d), hours (h), minutes (m) or seconds (s), such as 30d, 12h, 90m, 2w or 1d12h "
					+ "(default: ${DEFAULT-VALUE}).")
	private Duration olderThan;

	private final ObjectProvider<ScanReports> reports;

	ReportCommand(ObjectProvider<ScanReports> reports) {
		this.reports = reports;
	}

	@Override
	public Integer call() {
		String host = this.hosts.hostOrAll();
		if (host == null && (this.scanId != null || this.baseId != null)) {
			throw new ParameterException(this.spec.commandLine(),
					"--all-hosts reports on the latest completed scan of every host: give it no --scan or --base");
		}
		ScanReports scanReports = this.reports.getObject();
		if (host == null) {
			return write(switch (this.kind) {
				case SUMMARY -> scanReports.summaryOfEveryHost();
				case CHANGES -> scanReports.changesOfEveryHost(this.includeTouched);
				case DUPLICATES -> scanReports.duplicatesOfEveryHost(this.includeEmpty);
				case ERRORS -> scanReports.errorsOfEveryHost();
				case STALE -> scanReports.staleOfEveryHost(this.olderThan);
			});
		}
		long scan = this.hosts.scan(this.scanId, scanReports, "report on");
		// A pruned scan has no file rows: against it, every file would look added.
		if (this.kind != Kind.SUMMARY && scanReports.pruned(scan)) {
			throw new TreesumException(ExitCode.USAGE,
					"scan " + scan + " was pruned: its file rows are gone and only 'report summary' remains");
		}
		Report report = switch (this.kind) {
			case SUMMARY -> scanReports.summary(scan);
			case CHANGES -> scanReports.changes(scan, base(scanReports, scan), this.includeTouched);
			case DUPLICATES -> scanReports.duplicates(scan, this.includeEmpty);
			case ERRORS -> scanReports.errors(scan);
			case STALE -> scanReports.stale(scan, this.olderThan);
		};
		return write(report);
	}

	private int write(Report report) {
		PrintWriter out = this.spec.commandLine().getOut();
		this.format.write(report, out);
		out.flush();
		return ExitCode.COMPLETED.code();
	}

	private long base(ScanReports scanReports, long scan) {
		long base;
		if (this.baseId != null) {
			if (!scanReports.exists(this.baseId)) {
				throw new TreesumException(ExitCode.USAGE, "there is no scan " + this.baseId);
			}
			base = this.baseId;
		}
		else {
			base = scanReports.previous(scan)
				.orElseThrow(() -> new TreesumException(ExitCode.USAGE, "scan " + scan
						+ " has no earlier completed scan of the same roots to compare with: give --base ID"));
		}
		if (scanReports.pruned(base)) {
			throw new TreesumException(ExitCode.USAGE, "the base scan " + base + " was pruned: its file rows "
					+ "are gone; give --base a scan that was kept (prune --keep 2 keeps one to compare with)");
		}
		return base;
	}

}
