package dev.treesum.bench;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a child process and measures its wall time and the CPU time of every process it
 * starts, daemons included: the embedded PostgreSQL server leaves the child's process
 * tree, so the child's own rusage misses it. Each run gets a cpuacct cgroup (v1) of its
 * own, which the child enters before the command is executed; the run ends when the last
 * process of the group has. Without cgroups it falls back to the rusage of the waited-for
 * children, and says so.
 */
final class ProcessMeter {

	private static final Path CPUACCT = Path.of("/sys/fs/cgroup/cpuacct");

	/**
	 * How long processes left behind (a server that outlives its client) may take to end
	 * on their own, and again after SIGTERM.
	 */
	private static final Duration LINGER = Duration.ofSeconds(30);

	private static final AtomicInteger RUNS = new AtomicInteger();

	private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s");

	private final String unavailable;

	private ProcessMeter(String unavailable) {
		this.unavailable = unavailable;
	}

	static ProcessMeter create() {
		Path probe = CPUACCT.resolve(groupName("probe"));
		try {
			Files.createDirectory(probe);
			try {
				if (!Files.isWritable(probe.resolve("tasks")) || !Files.isReadable(probe.resolve("cpuacct.usage"))) {
					return new ProcessMeter(probe + " has no writable tasks or no cpuacct.usage");
				}
			}
			finally {
				Files.deleteIfExists(probe);
			}
			return new ProcessMeter(null);
		}
		catch (IOException | SecurityException ex) {
			return new ProcessMeter("cannot create a group under " + CPUACCT + ": " + ex);
		}
	}

	String method() {
		return (this.unavailable == null)
				? "CPU seconds: cpuacct cgroup v1, one group per run: every process of the run, the embedded "
						+ "PostgreSQL server included"
				: "NOTE: CPU seconds are the rusage of the waited-for children only, so the daemonized embedded "
						+ "PostgreSQL server's CPU is missing (cgroups unavailable: " + this.unavailable + ")";
	}

	/**
	 * Start the builder's command (its redirects and environment as set) in a group of
	 * its own.
	 */
	Running start(ProcessBuilder builder) throws IOException {
		List<String> original = new ArrayList<>(builder.command());
		List<String> command = new ArrayList<>();
		Path group = null;
		Path times = null;
		if (this.unavailable == null) {
			group = CPUACCT.resolve(groupName(Integer.toString(RUNS.incrementAndGet())));
			Files.createDirectory(group);
			command.addAll(List.of("sh", "-c", "echo $$ > \"$0/tasks\" && exec \"$@\"", group.toString()));
		}
		else {
			times = Files.createTempFile("treesum-bench-times", ".txt");
			command.addAll(List.of("sh", "-c", "\"$@\"; status=$?; times > \"$0\"; exit $status", times.toString()));
		}
		command.addAll(original);
		builder.command(command);
		long started = System.nanoTime();
		try {
			return new Running(builder.start(), started, group, times);
		}
		catch (IOException ex) {
			if (group != null) {
				Files.deleteIfExists(group);
			}
			throw ex;
		}
		finally {
			builder.command(original);
		}
	}

	Measured run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
		return start(builder).await(timeout);
	}

	private static String groupName(String suffix) {
		return "treesum-bench-" + ProcessHandle.current().pid() + "-" + suffix;
	}

	/**
	 * A started run.
	 */
	static final class Running {

		private final Process process;

		private final long started;

		private final Path group;

		private final Path times;

		private long ended;

		private Running(Process process, long started, Path group, Path times) {
			this.process = process;
			this.started = started;
			this.group = group;
			this.times = times;
		}

		/**
		 * @return how long ago the command exited, in seconds (its processes left behind
		 * may have ended later)
		 */
		double secondsSinceExit() {
			return (System.nanoTime() - this.ended) / 1e9;
		}

		boolean isAlive() {
			return this.process.isAlive();
		}

		/**
		 * Ask the command to stop (SIGTERM), as a service manager or Ctrl-C would.
		 */
		void stop() {
			if (this.group != null) {
				this.process.destroy();
			}
			else {
				this.process.children().forEach(ProcessHandle::destroy);
			}
		}

		/**
		 * Wait for the command to end (SIGKILL after the timeout) and for every process
		 * it left behind.
		 */
		Measured await(Duration timeout) throws IOException, InterruptedException {
			List<String> notes = new ArrayList<>();
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				notes.add("did not end within " + timeout.toSeconds() + " s: killed with SIGKILL");
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
				this.process.waitFor();
			}
			this.ended = System.nanoTime();
			double wall = (this.ended - this.started) / 1e9;
			double cpu = (this.group != null) ? groupCpu(notes) : childrenCpu(notes);
			return new Measured(this.process.exitValue(), wall, cpu, String.join("; ", notes));
		}

		private double groupCpu(List<String> notes) throws IOException, InterruptedException {
			List<Long> left = awaitEmptyGroup();
			if (!left.isEmpty()) {
				notes.add("left " + describe(left) + " running " + LINGER.toSeconds()
						+ " s after it exited: sent them SIGTERM");
				left.forEach((pid) -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
				left = awaitEmptyGroup();
				if (!left.isEmpty()) {
					notes.add(describe(left) + " still running " + LINGER.toSeconds() + " s later: SIGKILL");
					left.forEach((pid) -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
					awaitEmptyGroup();
				}
			}
			long nanos = Long.parseLong(Files.readString(this.group.resolve("cpuacct.usage")).trim());
			removeGroup(notes);
			return nanos / 1e9;
		}

		/**
		 * @return the processes still in the group after {@link #LINGER}, none if it
		 * emptied
		 */
		private List<Long> awaitEmptyGroup() throws IOException, InterruptedException {
			long deadline = System.nanoTime() + LINGER.toNanos();
			while (true) {
				List<Long> pids = Files.readAllLines(this.group.resolve("cgroup.procs"))
					.stream()
					.filter((line) -> !line.isBlank())
					.map((line) -> Long.parseLong(line.trim()))
					.toList();
				if (pids.isEmpty() || System.nanoTime() > deadline) {
					return pids;
				}
				Thread.sleep(50);
			}
		}

		private void removeGroup(List<String> notes) throws InterruptedException {
			for (int attempt = 0;; attempt++) {
				try {
					Files.deleteIfExists(this.group);
					return;
				}
				catch (FileSystemException ex) {
					if (attempt == 20) {
						notes.add("could not remove " + this.group + ": " + ex.getMessage());
						return;
					}
					Thread.sleep(100);
				}
				catch (IOException ex) {
					notes.add("could not remove " + this.group + ": " + ex.getMessage());
					return;
				}
			}
		}

		private double childrenCpu(List<String> notes) throws IOException {
			try {
				Matcher children = TIMES.matcher(Files.readString(this.times));
				// times prints the shell's own times, then its children's.
				if (children.find() && children.find()) {
					return Long.parseLong(children.group(1)) * 60 + Double.parseDouble(children.group(2))
							+ Long.parseLong(children.group(3)) * 60 + Double.parseDouble(children.group(4));
				}
				notes.add("no CPU times recorded");
				return Double.NaN;
			}
			catch (NoSuchFileException ex) {
				notes.add("no CPU times recorded");
				return Double.NaN;
			}
			finally {
				Files.deleteIfExists(this.times);
			}
		}

		private static String describe(List<Long> pids) {
			Map<String, Integer> byName = new TreeMap<>();
			for (long pid : pids) {
				String name;
				try {
					name = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
				}
				catch (IOException ex) {
					name = "?";
				}
				byName.merge(name, 1, Integer::sum);
			}
			List<String> parts = new ArrayList<>();
			byName.forEach((name, count) -> parts.add(count + " " + name));
			return String.join(", ", parts) + " process(es) (pids " + pids + ")";
		}

	}

	/**
	 * One measured run.
	 *
	 * @param exitCode the command's exit code
	 * @param wallSeconds from start to the command's exit
	 * @param cpuSeconds user and system CPU of the whole run
	 * @param note what went wrong on the way (processes left behind, a timeout), or empty
	 */
	record Measured(int exitCode, double wallSeconds, double cpuSeconds, String note) {

	}

}
