package dev.treesum.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.treesum.ChangeKind;
import dev.treesum.ExitCode;
import dev.treesum.TreesumException;
import dev.treesum.TreesumProperties;
import dev.treesum.hash.HashAlgorithm;
import dev.treesum.launch.ScanLauncher;
import dev.treesum.launch.ScanRequest;
import dev.treesum.mount.MountPlanner;
import dev.treesum.mount.MountTable;
import dev.treesum.walk.PathBytes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * {@code treesum scan ROOT...}: checksums every file under the roots; the last line of
 * its output names the scan and its totals.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@Command(name = "scan", mixinStandardHelpOptions = true,
		description = "Checksum every file under the ROOTs into the database; prints the scan id and totals.")
class ScanCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Parameters(paramLabel = "ROOT", arity = "0..*",
			description = "Directories to scan; every file system mounted under one is a partition of its own.")
	private List<String> roots = new ArrayList<>();

	@Option(names = "--all-mounts",
			description = "Scan every mounted local file system instead of ROOTs (no pseudo, remote or memory "
					+ "file systems).")
	private boolean allMounts;

	@Option(names = "--io-concurrency", paramLabel = "N|auto",
			description = "Files read at once inside one partition (default: auto, which measures the throughput "
					+ "and finds the best number, starting from 1 on spinning disks and 4 on others).")
	private String ioConcurrency;

	@Option(names = "--algorithm", paramLabel = "NAME",
			description = "Digest algorithm: sha256, sha1, md5 or xxh128 (default: sha256, or treesum.algorithm).")
	private HashAlgorithm algorithm;

	@Option(names = "--exclude", paramLabel = "GLOB",
			description = "Leave out what matches, relative to the root; a pattern without '/' matches names at "
					+ "any depth. Repeatable.")
	private List<String> excludes = new ArrayList<>();

	@Mixin
	private ThreadsOption threads;

	@Mixin
	private HostOption host;

	@Option(names = "--fail-on", paramLabel = "KIND", split = ",",
			description = "After completing, compare with the previous completed scan of the same host and roots, "
					+ "and exit with 5 if anything of these kinds is found: added, deleted, modified, corrupted, "
					+ "moved, errors (default: treesum.fail-on, else none).")
	private List<ChangeKind> failOn;

	@Option(names = "--incremental",
			description = "Reuse the previous digest of files whose size, mtime, ctime and inode are unchanged "
					+ "(default: read every byte, which is what catches silent corruption).")
	private boolean incremental;

	@Option(names = "--reverify", paramLabel = "PERCENT",
			description = "With --incremental: also read again about PERCENT of the bytes whose digests would be "
					+ "carried over, least recently verified first, so every file is read at least once every "
					+ "ceil(100/PERCENT) scans (such as 10%; default: none, or treesum.reverify).")
	private String reverify;

	@Option(names = "--new", description = "Start a new scan even if the last one of these roots failed or was stopped "
			+ "(default: resume it).")
	private boolean forceNew;

	private final TreesumProperties properties;

	private final ObjectProvider<ScanLauncher> launcher;

	ScanCommand(TreesumProperties properties, ObjectProvider<ScanLauncher> launcher) {
		this.properties = properties;
		this.launcher = launcher;
	}

	@Override
	public Integer call() {
		ScanRequest request = request();
		List<ChangeKind> failures = (this.failOn != null) ? this.failOn : this.properties.failOn();
		return ScanOutcome.print(this.launcher.getObject().scan(request, this.forceNew), failures,
				this.spec.commandLine().getOut(), this.spec.commandLine().getErr());
	}

	private ScanRequest request() {
		checkOptions();
		HashAlgorithm hashAlgorithm = (this.algorithm != null) ? this.algorithm : this.properties.algorithm();
		int partitionThreads = this.threads.threads();
		List<String> allExcludes = new ArrayList<>(this.properties.excludes());
		allExcludes.addAll(this.excludes);
		String hostName = this.host.host();
		int concurrency = ioConcurrency(
				(this.ioConcurrency != null) ? this.ioConcurrency : this.properties.ioConcurrency());
		double percent = reverifyPercent((this.reverify != null) ? this.reverify : this.properties.reverify());
		return new ScanRequest(this.allMounts ? allMountRoots() : realRoots(), hashAlgorithm, allExcludes,
				partitionThreads, hostName, this.allMounts, concurrency, this.incremental,
				this.incremental ? percent : 0);
	}

	/**
	 * Check what the command line gives before anything starts, so that its usage errors
	 * start no database: roots that do not exist or are no directories, and options that
	 * do not go together or have no valid value.
	 */
	void checkArguments() {
		checkOptions();
		if (!this.allMounts) {
			realRoots();
		}
	}

	private void checkOptions() {
		if (this.allMounts && !this.roots.isEmpty()) {
			throw new ParameterException(this.spec.commandLine(), "give either ROOTs or --all-mounts, not both");
		}
		if (this.ioConcurrency != null) {
			ioConcurrency(this.ioConcurrency);
		}
		if (this.reverify != null) {
			reverifyPercent(this.reverify);
			if (!this.incremental) {
				throw new ParameterException(this.spec.commandLine(),
						"--reverify goes with --incremental: a full scan reads every file anyway");
			}
		}
	}

	/**
	 * Return the files read at once per partition: a number from 1, or 0 for auto.
	 */
	private int ioConcurrency(String value) {
		if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("auto")) {
			return 0;
		}
		try {
			int concurrency = Integer.parseInt(value.strip());
			if (concurrency >= 1) {
				return concurrency;
			}
		}
		catch (NumberFormatException ex) {
			// told below
		}
		throw new ParameterException(this.spec.commandLine(),
				"--io-concurrency must be a number from 1, or auto; not " + value);
	}

	/**
	 * Return a share of bytes given as {@code 10%} or {@code 10}: more than 0, at most
	 * 100; 0 when none is given.
	 */
	private double reverifyPercent(String value) {
		if (value == null || value.isBlank()) {
			return 0;
		}
		String number = value.strip();
		number = number.endsWith("%") ? number.substring(0, number.length() - 1).strip() : number;
		try {
			double percent = Double.parseDouble(number);
			if (percent > 0 && percent <= 100) {
				return percent;
			}
		}
		catch (NumberFormatException ex) {
			// told below
		}
		throw new ParameterException(this.spec.commandLine(),
				"--reverify must be a share of the bytes above 0 and at most 100%, such as 10%; not " + value);
	}

	private List<Path> allMountRoots() {
		try {
			MountPlanner planner = new MountPlanner(MountTable.read(), this.properties.filesystemTypes());
			// From the bytes: a mount point's name need not be valid in the locale's
			// encoding, where Path.of would reject it or name another path.
			return planner.localMountPoints().stream().map(PathBytes::path).toList();
		}
		catch (IOException ex) {
			throw new TreesumException(ExitCode.USAGE, "cannot read the mount table: " + ex.getMessage());
		}
	}

	private List<Path> realRoots() {
		if (this.roots.isEmpty()) {
			throw new ParameterException(this.spec.commandLine(), "give the ROOTs to scan, or --all-mounts");
		}
		Set<Path> real = new LinkedHashSet<>();
		for (String root : this.roots) {
			Path path;
			try {
				path = Path.of(root);
			}
			catch (InvalidPathException ex) {
				throw new ParameterException(this.spec.commandLine(), "not a valid path: " + root);
			}
			if (!Files.exists(path)) {
				throw new ParameterException(this.spec.commandLine(), "root does not exist: " + root);
			}
			if (!Files.isDirectory(path)) {
				throw new ParameterException(this.spec.commandLine(), "root is not a directory: " + root);
			}
			try {
				real.add(path.toRealPath());
			}
			catch (IOException ex) {
				throw new ParameterException(this.spec.commandLine(), "cannot resolve root " + root + ": " + ex);
			}
		}
		return List.copyOf(real);
	}

}
