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

	@Option(names = "--io-concurrency", paramLabel = "N",
			description = "Files read at once inside one partition (default: 1 on rotational disks, 4 otherwise).")
	private Integer ioConcurrency;

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
		HashAlgorithm hashAlgorithm = (this.algorithm != null) ? this.algorithm : this.properties.algorithm();
		int partitionThreads = this.threads.threads(this.properties);
		List<String> allExcludes = new ArrayList<>(this.properties.excludes());
		allExcludes.addAll(this.excludes);
		String hostName = this.host.host(this.properties);
		int concurrency = (this.ioConcurrency != null) ? this.ioConcurrency : this.properties.ioConcurrency();
		if (concurrency < 0 || (this.ioConcurrency != null && this.ioConcurrency < 1)) {
			throw new ParameterException(this.spec.commandLine(), "--io-concurrency must be at least 1");
		}
		return new ScanRequest(this.allMounts ? allMountRoots() : realRoots(), hashAlgorithm, allExcludes,
				partitionThreads, hostName, this.allMounts, concurrency, this.incremental);
	}

	private List<Path> allMountRoots() {
		if (!this.roots.isEmpty()) {
			throw new ParameterException(this.spec.commandLine(), "give either ROOTs or --all-mounts, not both");
		}
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
