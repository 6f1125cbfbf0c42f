package dev.treesum.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.treesum.ExitCode;
import dev.treesum.report.ScanPruner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * {@code treesum prune --keep N}: drop the file rows of all but the last N completed
 * scans of each set of roots of a host (or of every host), in small batches, so a running
 * scan is never locked out.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "prune", mixinStandardHelpOptions = true,
		description = "Drop the entries of all but the last N completed scans of each set of roots of this host "
				+ "(--host: another host, --all-hosts: every host), and the paths no kept scan refers to; the scans "
				+ "themselves stay listed.")
class PruneCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Option(names = "--keep", paramLabel = "N", required = true,
			description = "Completed scans to keep per set of roots.")
	private int keep;

	@Mixin
	private HostsOption hosts;

	private final ObjectProvider<ScanPruner> pruner;

	PruneCommand(ObjectProvider<ScanPruner> pruner) {
		this.pruner = pruner;
	}

	@Override
	public Integer call() {
		if (this.keep < 1) {
			throw new ParameterException(this.spec.commandLine(), "--keep must be at least 1");
		}
		String host = this.hosts.hostOrAll();
		ScanPruner scanPruner = this.pruner.getObject();
		PrintWriter out = this.spec.commandLine().getOut();
		long total = 0;
		boolean busy = false;
		List<Long> pruned = new ArrayList<>();
		for (long scanId : scanPruner.prunable(this.keep, host)) {
			long rows = scanPruner.prune(scanId);
			if (rows < 0) {
				busy = true;
				out.printf("scan %d: kept for now, its entries are being read; prune again later%n", scanId);
				continue;
			}
			total += rows;
			out.printf("scan %d: %,d file rows dropped%n", scanId, rows);
			out.flush();
			pruned.add(scanId);
		}
		long paths = scanPruner.collectPaths(pruned);
		out.printf("pruned: %,d file rows, %,d paths no scan refers to any more%n", total, paths);
		out.flush();
		return busy ? ExitCode.FAILED.code() : ExitCode.COMPLETED.code();
	}

}
