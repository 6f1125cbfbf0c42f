package dev.treesum.cli;

import java.io.OutputStream;
import java.util.concurrent.Callable;

import dev.treesum.ExitCode;
import dev.treesum.TreesumException;
import dev.treesum.TreesumProperties;
import dev.treesum.report.ExportFormat;
import dev.treesum.report.ScanExporter;
import dev.treesum.report.ScanReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * {@code treesum export}: a scan's digests as {@code sha256sum -c} checks them, or its
 * rows as CSV.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "export", mixinStandardHelpOptions = true,
		description = "Print a scan's results: sha256sum lines (for sha256sum -c) or CSV.")
class ExportCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Option(names = "--scan", paramLabel = "ID", description = "The scan (default: the host's latest completed one).")
	private Long scanId;

	@Mixin
	private HostOption host;

	@Option(names = "--format", paramLabel = "FORMAT", defaultValue = "sha256sum",
			description = "sha256sum or csv (default: ${DEFAULT-VALUE}).")
	private ExportFormat format;

	private final TreesumProperties properties;

	private final ObjectProvider<ScanReports> reports;

	private final ObjectProvider<ScanExporter> exporter;

	ExportCommand(TreesumProperties properties, ObjectProvider<ScanReports> reports,
			ObjectProvider<ScanExporter> exporter) {
		this.properties = properties;
		this.reports = reports;
		this.exporter = exporter;
	}

	@Override
	public Integer call() {
		String hostName = this.host.host(this.properties);
		ScanReports scanReports = this.reports.getObject();
		long id = (this.scanId != null) ? this.scanId
				: scanReports.latestCompleted(hostName)
					.orElseThrow(() -> new TreesumException(ExitCode.USAGE,
							"host " + hostName + " has no completed scan to export yet"));
		String scanHost = scanReports.host(id)
			.orElseThrow(() -> new TreesumException(ExitCode.USAGE, "there is no scan " + id));
		if (this.host.isGiven() && !scanHost.equals(hostName)) {
			throw new TreesumException(ExitCode.USAGE,
					"scan " + id + " belongs to host " + scanHost + ", not " + hostName);
		}
		String algorithm = scanReports.algorithm(id)
			.orElseThrow(() -> new TreesumException(ExitCode.USAGE, "there is no scan " + id));
		// Paths go out as their raw bytes, which a Writer would re-encode.
		OutputStream out = ((CommandOutput) this.spec.commandLine().getOut()).bytes();
		if (this.format == ExportFormat.SHA256SUM) {
			if (!"sha256".equals(algorithm)) {
				throw new TreesumException(ExitCode.USAGE, "scan " + id + " used " + algorithm
						+ ", and the sha256sum format needs sha256: use --format csv");
			}
			this.exporter.getObject().sha256sum(id, out);
		}
		else {
			this.exporter.getObject().csv(id, out);
		}
		return ExitCode.COMPLETED.code();
	}

}
