package dev.treesum.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import dev.treesum.scan.PartitionStatus;
import dev.treesum.scan.ScanRepository;
import dev.treesum.scan.ScanStatus;
import dev.treesum.scan.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * {@code treesum status}: the recent scans, newest first.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "status", mixinStandardHelpOptions = true,
		description = "Recent scans: id, host, roots, state, attempts, partitions done, files, bytes, errors, start, "
				+ "duration, and the owner of a running one; with a SCAN_ID, that scan's partitions.")
class StatusCommand implements Callable<Integer> {

	private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneId.systemDefault());

	@Spec
	private CommandSpec spec;

	@Parameters(paramLabel = "SCAN_ID", arity = "0..1",
			description = "Show this scan with its partitions: mount point, device, file system, disk, files, "
					+ "bytes, duration, throughput.")
	private Long scanId;

	@Option(names = "--limit", paramLabel = "N", defaultValue = "20",
			description = "How many scans to show (default: ${DEFAULT-VALUE}).")
	private int limit;

	private final ObjectProvider<ScanRepository> scans;

	StatusCommand(ObjectProvider<ScanRepository> scans) {
		this.scans = scans;
	}

	@Override
	public Integer call() {
		ScanRepository repository = this.scans.getObject();
		List<ScanStatus> recent = (this.scanId != null)
				? List.of(repository.status(this.scanId)
					.orElseThrow(() -> new CommandFailedException(ExitCodes.USAGE, "there is no scan " + this.scanId)))
				: repository.recent(this.limit);
		PrintWriter out = this.spec.commandLine().getOut();
		if (recent.isEmpty()) {
			out.println("No scans yet: run 'treesum scan DIR'.");
			out.flush();
			return ExitCodes.COMPLETED;
		}
		String format = "%6s  %-16s  %-10s  %8s  %7s  %12s  %10s  %7s  %-19s  %9s  %s%n";
		out.printf(format, "ID", "HOST", "STATE", "ATTEMPTS", "PARTS", "FILES", "BYTES", "ERRORS", "STARTED",
				"DURATION", "ROOTS");
		for (ScanStatus scan : recent) {
			out.printf(format, scan.id(), scan.host(), scan.state(), scan.attempts(),
					scan.partitionsDone() + "/" + scan.partitions(), String.format("%,d", scan.files()),
					Sizes.bytes(scan.bytes()), String.format("%,d", scan.errors()),
					(scan.startedAt() != null) ? START.format(scan.startedAt()) : "-", duration(scan.duration()),
					String.join(" ", scan.roots()));
			if (scan.isRunning() && scan.owner() != null) {
				out.printf("%6s  owner: %s, last heartbeat %s%n", "", scan.owner(), (scan.heartbeatAt() != null)
						? duration(Duration.between(scan.heartbeatAt(), Instant.now())) + " ago" : "never");
			}
		}
		if (this.scanId != null) {
			printPartitions(out, repository.partitions(this.scanId));
		}
		out.flush();
		return ExitCodes.COMPLETED;
	}

	private static void printPartitions(PrintWriter out, List<PartitionStatus> partitions) {
		out.println();
		String format = "%n%-13s  %-10s  %-24s  %-7s  %-7s  %-10s  %3s  %10s  %10s  %6s  %8s  %10s  %10s%n";
		out.printf(format.substring(2), "PARTITION", "STATE", "MOUNTPOINT", "DEVICE", "FS", "DISK", "IO", "FILES",
				"BYTES", "ERRORS", "DURATION", "FILES/S", "BYTES/S");
		for (PartitionStatus partition : partitions) {
			double seconds = Math.max(partition.seconds(), 0.001);
			out.printf(format.substring(2), partition.name(), partition.state(), partition.mountpoint(),
					partition.device(), partition.fsType(), partition.disk(), partition.ioConcurrency(),
					String.format("%,d", partition.files()), Sizes.bytes(partition.bytes()),
					String.format("%,d", partition.errors()),
					duration(Duration.ofMillis((long) (partition.seconds() * 1000))),
					String.format("%,.0f", partition.files() / seconds),
					Sizes.bytes((long) (partition.bytes() / seconds)) + "/s");
		}
	}

	static String duration(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return String.format("%.1fs", duration.toMillis() / 1000.0);
		}
		if (seconds < 3600) {
			return String.format("%dm%02ds", seconds / 60, seconds % 60);
		}
		return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
	}

}
