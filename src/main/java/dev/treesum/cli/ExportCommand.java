package dev.treesum.cli;

import java.io.OutputStream;
import java.util.concurrent.Callable;

import dev.treesum.report.ExportFormat;
import dev.treesum.report.ScanExporter;
import dev.treesum.scan.ScanRepository;
import dev.treesum.scan.ScanStatus;
import picocli.CommandLine.Command;
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

	@Option(names = "--scan", paramLabel = "ID", description = "The scan (default: the latest completed one).")
	private Long scanId;

	@Option(names = "--format", paramLabel = "FORMAT", defaultValue = "sha256sum",
			description = "sha256sum or csv (default: ${DEFAULT-VALUE}).")
	private ExportFormat format;

	private final ObjectProvider<ScanRepository> scans;

	private final ObjectProvider<ScanExporter> exporter;

	ExportCommand(ObjectProvider<ScanRepository> scans, ObjectProvider<ScanExporter> exporter) {
		this.scans = scans;
		this.exporter = exporter;
	}

	@Override
	public Integer call() {
		ScanRepository repository = this.scans.getObject();
		long id = (this.scanId != null) ? this.scanId : repository.latestCompleted()
			.orElseThrow(() -> new CommandFailedException(ExitCodes.USAGE, "no completed scan to export yet"));
		ScanStatus scan = repository.status(id)
			.orElseThrow(() -> new CommandFailedException(ExitCodes.USAGE, "there is no scan " + id));
		// Paths go out as their raw bytes, which a Writer would re-encode.
		OutputStream out = System.out;
		if (this.format == ExportFormat.sha256sum) {
			if (!"sha256".equals(scan.algorithm())) {
				throw new CommandFailedException(ExitCodes.USAGE, "scan " + id + " used " + scan.algorithm()
						+ ", and the sha256sum format needs sha256: use --format csv");
			}
			this.exporter.getObject().sha256sum(id, out);
		}
		else {
			this.exporter.getObject().csv(id, out);
		}
		return ExitCodes.COMPLETED;
	}

}
