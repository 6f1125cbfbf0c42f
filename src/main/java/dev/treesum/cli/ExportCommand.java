package dev.treesum.cli;

import java.io.OutputStream;
import java.util.concurrent.Callable;

import dev.treesum.ExitCode;
import dev.treesum.TreesumException;
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
 * {@code treesum export}: a scan's digests as the tool of its algorithm checks them
 * ({@code sha256sum -c}, {@code md5sum -c}, {@code xxhsum -c}), or its rows as CSV.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "export", mixinStandardHelpOptions = true,
		description = "Print a scan's results: the lines of its algorithm's own tool (sha256sum, sha1sum, md5sum, "
				+ "xxhsum -H2), which 'TOOL -c' checks, or CSV.")
class ExportCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Option(names = "--scan", paramLabel = "ID", description = "The scan (default: the host's latest completed one).")
	private Long scanId;

	@Mixin
	private HostOption host;

	@Option(names = "--format", paramLabel = "FORMAT", defaultValue = "sums",
			description = "sums (the lines of the scan's algorithm's tool) or csv; sha256sum is sums for a sha256 scan "
					+ "(default: ${DEFAULT-VALUE}).")
	private ExportFormat format;

	@Option(names = "--relative",
			description = "Paths relative to the scan root that holds each file, so that 'cd ROOT && sha256sum -c' "
					+ "checks them anywhere; with several roots, each file's own root.")
	private boolean relative;

	private final ObjectProvider<ScanReports> reports;

	private final ObjectProvider<ScanExporter> exporter;

	ExportCommand(ObjectProvider<ScanReports> reports, ObjectProvider<ScanExporter> exporter) {
		this.reports = reports;
		this.exporter = exporter;
	}

	@Override
	public Integer call() {
		ScanReports scanReports = this.reports.getObject();
		long id = this.host.scan(this.scanId, scanReports, "export");
		String algorithm = scanReports.algorithm(id)
			.orElseThrow(() -> new TreesumException(ExitCode.USAGE, "there is no scan " + id));
		// Paths go out as their raw bytes, which a Writer would re-encode.
		OutputStream out = ((CommandOutput) this.spec.commandLine().getOut()).bytes();
		if (this.format == ExportFormat.CSV) {
			this.exporter.getObject().csv(id, this.relative, out);
			return ExitCode.COMPLETED.code();
		}
		String tool = ExportFormat.tool(algorithm);
		if (tool == null) {
			throw new TreesumException(ExitCode.USAGE,
					"scan " + id + " used " + algorithm + ", which no checksum tool reads: use --format csv");
		}
		if (this.format == ExportFormat.SHA256SUM && !"sha256".equals(algorithm)) {
			throw new TreesumException(ExitCode.USAGE, "scan " + id + " used " + algorithm
					+ ", and the sha256sum format needs sha256: use --format sums (" + tool + " lines) or csv");
		}
		this.exporter.getObject().sums(id, this.relative, out);
		return ExitCode.COMPLETED.code();
	}

}
