package dev.treesum.bench;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import dev.treesum.bench.ProcessMeter.Measured;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * treesum against {@code rhash -r --sha256} on the same trees, each run one whole process
 * started as a user starts it, with treesum's default options and an embedded database of
 * its own that persists through the benchmark (so later scans of a tree are nightly
 * rescans): wall seconds and CPU seconds of every process of the run, the embedded
 * PostgreSQL server included, the median of three runs, the two tools alternating. Also
 * incremental rescans against full ones, treesum's start against a Java hello world, and
 * a million tiny files under a small heap. It prints the figures beside their targets and
 * asserts none of them; it fails only when a command does. Run it by name:
 *
 * <pre>
 * ./mvnw -q test -Dtest=EngineBenchmark &amp;&amp; cat target/engine-benchmark.txt
 * </pre>
 *
 * Properties, all optional: {@code benchmark.treesum} (the command that starts treesum,
 * default {@code target/treesum}, the build's launcher), {@code benchmark.work} (a comma
 * separated subset of {@code usr-warm, usr-cold, small-warm, incremental, startup}, the
 * default set; {@code million}; {@code all} for every one), {@code benchmark.tree}
 * ({@code /usr}), {@code benchmark.runs} (3), {@code benchmark.small-files} (300000),
 * {@code benchmark.million-files} (1000000), {@code benchmark.million-heap} (256m),
 * {@code benchmark.dir} and {@code benchmark.keep} (see {@link BenchmarkDirectory}).
 */
class EngineBenchmark {

	private static final List<String> DEFAULT_WORK = List.of("usr-warm", "usr-cold", "small-warm", "incremental",
			"startup");

	private static final List<String> ALL_WORK = List.of("usr-warm", "usr-cold", "small-warm", "incremental", "startup",
			"million");

	private static final List<String> HEADER = List.of("work", "peer", "treesum wall s", "treesum CPU s", "peer wall s",
			"peer CPU s", "ratio (wall)", "target", "met");

	private static final Duration SCAN_TIMEOUT = Duration.ofHours(4);

	private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);

	private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

	private final FigureReport report = new FigureReport("engine-benchmark");

	private final TreesumCommand treesum = TreesumCommand.fromProperty();

	private final int runs = Integer.getInteger("benchmark.runs", 3);

	private final Path usr = Path.of(System.getProperty("benchmark.tree", "/usr")).toAbsolutePath();

	private final List<List<String>> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private final List<String> failures = new ArrayList<>();

	private final Map<Path, RunFigures> fullScans = new HashMap<>();

	private final Set<Path> described = new HashSet<>();

	private final Set<String> rhashComplaints = new HashSet<>();

	private BenchmarkDirectory dir;

	private ProcessMeter meter;

	private Path home;

	private Path output;

	private boolean rhash;

	private int commands;

	@Test
	void treesumBesideRhashFullScansAndHelloWorld() throws Exception {
		List<String> work = work();
		this.treesum.checkRunnable();
		this.dir = BenchmarkDirectory.create("treesum-engine-benchmark");
		try {
			this.meter = ProcessMeter.create();
			this.home = this.dir.fresh("treesum-home");
			this.output = this.dir.fresh("output");
			facts(work);
			this.rhash = installRhash();
			for (String name : work) {
				this.report.line("");
				this.report.line("== %s (%s)", name, MachineFacts.load());
				try {
					workload(name);
				}
				catch (CommandFailedException ex) {
					this.failures.add(name + ": " + ex.getMessage());
					this.report.line("FAILED: %s", ex.getMessage());
					this.rows.add(List.of(name, "", "failed", "", "", "", "", "", "-"));
				}
			}
			this.report.line("");
			this.report.line("after: %s", MachineFacts.load());
			this.report.line("");
			this.report.table(HEADER, this.rows);
			this.notes.forEach((note) -> this.report.line("%s", note));
			this.report.line("(this table: %s)", this.report.file());
		}
		finally {
			this.dir.cleanUp();
		}
		assertThat(this.failures).as("commands that exited non-zero").isEmpty();
	}

	private static List<String> work() {
		String property = System.getProperty("benchmark.work", "");
		if (property.isBlank()) {
			return DEFAULT_WORK;
		}
		Set<String> work = new LinkedHashSet<>();
		for (String name : property.split(",")) {
			String trimmed = name.trim();
			if (trimmed.equals("all")) {
				work.addAll(ALL_WORK);
			}
			else if (ALL_WORK.contains(trimmed)) {
				work.add(trimmed);
			}
			else if (!trimmed.isEmpty()) {
				throw new IllegalArgumentException(
						"benchmark.work: no workload " + trimmed + "; there are " + ALL_WORK + " and all");
			}
		}
		return List.copyOf(work);
	}

	private void workload(String name) throws IOException, InterruptedException {
		switch (name) {
			case "usr-warm" -> warm(name, this.usr, 0.8);
			case "usr-cold" -> cold(name, this.usr, 0.8);
			case "small-warm" -> warm(name, smallTree(), 1.0);
			case "incremental" -> {
				incremental("usr", this.usr);
				incremental("small", smallTree());
			}
			case "startup" -> startup();
			case "million" -> million();
			default -> throw new IllegalArgumentException(name);
		}
	}

	private void facts(List<String> work) throws InterruptedException {
		this.report.line("treesum engine benchmark, %s", LocalDateTime.now().withNano(0));
		this.report.line("machine: nproc %s, %s; %s", MachineFacts.processors(), MachineFacts.cpuModel(),
				MachineFacts.memory());
		this.report.line("before: %s", MachineFacts.load());
		this.report.line("treesum: %s (working directory %s)", this.treesum.describe(), Path.of("").toAbsolutePath());
		this.report.line("java: %s (%s)", MachineFacts.javaVersion(this.treesum.java()), this.treesum.java());
		this.report.line("each treesum run: one process with default options; TREESUM_HOME=%s, kept through the "
				+ "benchmark; SPRING_DATASOURCE_* and other TREESUM_* unset", this.home);
		this.report.line("%s", this.meter.method());
		this.report.line("median of %d runs each, treesum and its peer alternating; work: %s", this.runs,
				String.join(",", work));
		this.report.line("benchmark directory: %s", this.dir.describe());
	}

	private boolean installRhash() throws IOException, InterruptedException {
		if (!onPath("rhash")) {
			this.report.line("rhash is missing: apt-get install -y rhash");
			CommandOutput install = CommandOutput.of(List.of("apt-get", "install", "-y", "rhash"), COMMAND_TIMEOUT);
			if (install.exitCode() != 0 && install.stderr().contains("Unable to locate package")) {
				this.report.line("  %s: apt-get update first", install.lastLine());
				CommandOutput.of(List.of("apt-get", "update"), COMMAND_TIMEOUT);
				install = CommandOutput.of(List.of("apt-get", "install", "-y", "rhash"), COMMAND_TIMEOUT);
			}
			if (install.exitCode() != 0 || !onPath("rhash")) {
				String why = "rhash columns skipped: apt-get install -y rhash exited " + install.exitCode() + ": "
						+ install.lastLine();
				this.report.line("%s", why);
				this.notes.add(why);
				return false;
			}
		}
		this.report.line("rhash: %s", MachineFacts.run(List.of("rhash", "--version")).firstLine());
		return true;
	}

	private static boolean onPath(String program) {
		return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
			.filter((entry) -> !entry.isEmpty())
			.anyMatch((entry) -> Files.isExecutable(Path.of(entry, program)));
	}

	/**
	 * Both tools on a tree in the page cache: one untimed read by each first.
	 */
	private void warm(String name, Path tree, double target) throws IOException, InterruptedException {
		this.report.line("warm-up, untimed: one read of %s by each tool", tree);
		describe(tree, scan(this.treesum, tree).line());
		if (this.rhash) {
			rhash(tree);
		}
		List<Measured> treesumRuns = new ArrayList<>();
		List<Measured> rhashRuns = new ArrayList<>();
		for (int run = 1; run <= this.runs; run++) {
			ScanRun scan = scan(this.treesum, tree);
			Measured peer = this.rhash ? rhash(tree) : null;
			if (peer != null) {
				rhashRuns.add(peer);
			}
			treesumRuns.add(scan.measured());
			progress(run, "treesum scan", scan, "rhash", peer);
		}
		RunFigures figures = new RunFigures(treesumRuns);
		this.fullScans.put(tree, figures);
		row(name, "rhash -r --sha256", figures, this.rhash ? new RunFigures(rhashRuns) : null, target);
	}

	/**
	 * Both tools on a tree read from the disk: the page cache is dropped before every
	 * run.
	 */
	private void cold(String name, Path tree, double target) throws IOException, InterruptedException {
		String refused = dropCaches();
		if (refused != null) {
			this.report.line("skipped: %s", refused);
			this.notes.add(name + " skipped: " + refused);
			this.rows.add(List.of(name, "rhash -r --sha256", "-", "-", "-", "-", "-", "<= " + target, "skipped"));
			return;
		}
		this.report.line("sync; echo 3 > %s before every run of either tool", DROP_CACHES);
		List<Measured> treesumRuns = new ArrayList<>();
		List<Measured> rhashRuns = new ArrayList<>();
		for (int run = 1; run <= this.runs; run++) {
			mustDropCaches();
			ScanRun scan = scan(this.treesum, tree);
			describe(tree, scan.line());
			Measured peer = null;
			if (this.rhash) {
				mustDropCaches();
				peer = rhash(tree);
				rhashRuns.add(peer);
			}
			treesumRuns.add(scan.measured());
			progress(run, "treesum scan", scan, "rhash", peer);
		}
		row(name, "rhash -r --sha256", new RunFigures(treesumRuns), this.rhash ? new RunFigures(rhashRuns) : null,
				target);
	}

	/**
	 * An unchanged rescan with {@code --incremental} against full scans of the same tree:
	 * those of this run, or fresh ones.
	 */
	private void incremental(String label, Path tree) throws IOException, InterruptedException {
		RunFigures full = this.fullScans.get(tree);
		if (full == null) {
			this.report.line("%s: no full scan of it in this run yet: one untimed, then %d timed full scans", tree,
					this.runs);
			describe(tree, scan(this.treesum, tree).line());
			List<Measured> fullRuns = new ArrayList<>();
			for (int run = 1; run <= this.runs; run++) {
				ScanRun scan = scan(this.treesum, tree);
				fullRuns.add(scan.measured());
				progress(run, "treesum scan", scan, null, null);
			}
			full = new RunFigures(fullRuns);
			this.fullScans.put(tree, full);
		}
		else {
			this.report.line("%s: against the full scans above (median %.2f s wall)", tree, full.wall());
		}
		List<Measured> incremental = new ArrayList<>();
		for (int run = 1; run <= this.runs; run++) {
			ScanRun scan = scan(this.treesum, tree, "--incremental");
			incremental.add(scan.measured());
			progress(run, "treesum scan --incremental", scan, null, null);
		}
		row("incremental " + label, "full scan (treesum)", new RunFigures(incremental), full, 0.35);
	}

	/**
	 * treesum's start, with nothing to do and with one query, against a Java hello world
	 * on the same JVM.
	 */
	private void startup() throws IOException, InterruptedException {
		Path hello = compileHello();
		List<String> helloWorld = List.of(this.treesum.java(), "-cp", hello.toString(), "Hello");
		this.report.line("warm-up, untimed: treesum --help, treesum status, %s", String.join(" ", helloWorld));
		treesumCommand("--help");
		treesumCommand("status");
		command(helloWorld);
		List<Measured> help = new ArrayList<>();
		List<Measured> status = new ArrayList<>();
		List<Measured> peer = new ArrayList<>();
		for (int run = 1; run <= this.runs; run++) {
			help.add(treesumCommand("--help"));
			peer.add(command(helloWorld));
			status.add(treesumCommand("status"));
			this.report.line("  run %d: --help %s; status %s; hello world %s", run, figures(help.get(run - 1)),
					figures(status.get(run - 1)), figures(peer.get(run - 1)));
		}
		RunFigures helloFigures = new RunFigures(peer);
		row("startup --help", "java Hello", new RunFigures(help), helloFigures, 15);
		row("startup status", "java Hello", new RunFigures(status), helloFigures, 40);
	}

	/**
	 * A million tiny files scanned once under a small heap: whether it completes, and how
	 * fast.
	 */
	private void million() throws IOException, InterruptedException {
		int files = Integer.getInteger("benchmark.million-files", 1_000_000);
		String heap = System.getProperty("benchmark.million-heap", "256m");
		Path tree = GeneratedTree.ensure(this.dir, "tiny", files, 64, 3, this.report);
		TreesumCommand command = this.treesum.withHeap(heap);
		this.report.line("one scan of %s with %s", tree, command.describe());
		Path out = next("treesum-scan", ".out");
		Path err = next("treesum-scan", ".err");
		Measured measured = this.meter.run(command.builder(this.home, "scan", tree.toString())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile()), SCAN_TIMEOUT);
		ScanLine line = ScanLine.parse(text(out));
		boolean completed = measured.exitCode() == 0 && line != null;
		String rate = "-";
		if (completed) {
			rate = String.format(Locale.ROOT, "%,.0f files/s", line.files() / measured.wallSeconds());
			this.report.line("completed: %s; %s over the whole process (%,.0f files/s over the scan's own %.1f s); %s",
					line.text(), rate, line.files() / line.seconds(), line.seconds(), figures(measured));
		}
		else {
			this.report.line("did NOT complete: exit %d: %s; %s", measured.exitCode(),
					CommandOutput.lastLine(text(err)), figures(measured));
			this.notes.add(
					"million did not complete: exit " + measured.exitCode() + ": " + CommandOutput.lastLine(text(err)));
		}
		this.rows.add(List.of("million (-Xmx" + heap + ")", "-", FigureReport.seconds(measured.wallSeconds()),
				FigureReport.seconds(measured.cpuSeconds()), "-", "-", rate, "completes", completed ? "yes" : "no"));
	}

	private Path smallTree() throws IOException {
		return GeneratedTree.ensure(this.dir, "small", Integer.getInteger("benchmark.small-files", 300_000), 8192, 1,
				this.report);
	}

	private ScanRun scan(TreesumCommand command, Path tree, String... options)
			throws IOException, InterruptedException {
		List<String> arguments = new ArrayList<>();
		arguments.add("scan");
		arguments.addAll(List.of(options));
		arguments.add(tree.toString());
		String[] words = arguments.toArray(String[]::new);
		Path out = next("treesum-scan", ".out");
		Path err = next("treesum-scan", ".err");
		Measured measured = this.meter.run(
				command.builder(this.home, words).redirectOutput(out.toFile()).redirectError(err.toFile()),
				SCAN_TIMEOUT);
		ScanLine line = ScanLine.parse(text(out));
		if (measured.exitCode() != 0 || line == null) {
			throw new CommandFailedException(String.join(" ", command.command(words)) + " exited " + measured.exitCode()
					+ (line == null ? " without its last line" : "") + ": " + CommandOutput.lastLine(text(err)));
		}
		noteOf(measured);
		return new ScanRun(measured, line);
	}

	private Measured treesumCommand(String... arguments) throws IOException, InterruptedException {
		Path out = next("treesum", ".out");
		Path err = next("treesum", ".err");
		Measured measured = this.meter.run(
				this.treesum.builder(this.home, arguments).redirectOutput(out.toFile()).redirectError(err.toFile()),
				COMMAND_TIMEOUT);
		if (measured.exitCode() != 0) {
			throw new CommandFailedException(String.join(" ", this.treesum.command(arguments)) + " exited "
					+ measured.exitCode() + ": " + CommandOutput.lastLine(text(err)));
		}
		noteOf(measured);
		return measured;
	}

	private Measured command(List<String> command) throws IOException, InterruptedException {
		Path out = next("command", ".out");
		Path err = next("command", ".err");
		Measured measured = this.meter.run(new ProcessBuilder(command).redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), COMMAND_TIMEOUT);
		if (measured.exitCode() != 0) {
			throw new CommandFailedException(String.join(" ", command) + " exited " + measured.exitCode() + ": "
					+ CommandOutput.lastLine(text(err)));
		}
		return measured;
	}

	/**
	 * {@code rhash -r --sha256 TREE}, its output in a file as treesum's goes to its
	 * database. Files it cannot read make it exit 1; that is reported, not a failure.
	 */
	private Measured rhash(Path tree) throws IOException, InterruptedException {
		Path out = this.output.resolve("rhash.out");
		Path err = this.output.resolve("rhash.err");
		Measured measured = this.meter
			.run(new ProcessBuilder("rhash", "-r", "--sha256", tree.toString()).redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), SCAN_TIMEOUT);
		if (measured.exitCode() != 0) {
			List<String> complaints = text(err).lines().filter((line) -> !line.isBlank()).toList();
			String complaint = String.format(Locale.ROOT, "rhash exited %d with %d line(s) on stderr%s",
					measured.exitCode(), complaints.size(),
					complaints.isEmpty() ? "" : ", the first: " + complaints.get(0));
			if (this.rhashComplaints.add(complaint)) {
				this.report.line("  note: %s (said once)", complaint);
			}
		}
		noteOf(measured);
		return measured;
	}

	/**
	 * Print once per tree what each tool saw of it: treesum's entries (its scan's last
	 * line) and rhash's files and bytes.
	 */
	private void describe(Path tree, ScanLine line) throws IOException, InterruptedException {
		if (!this.described.add(tree)) {
			return;
		}
		this.report.line("tree %s: treesum saw %,d files, %s, %,d errors (%s)", tree, line.files(), line.bytes(),
				line.errors(), line.text());
		if (!this.rhash) {
			return;
		}
		Path sizes = this.output.resolve("rhash-sizes.out");
		ProcessBuilder builder = new ProcessBuilder("rhash", "-r", "--printf=%s\\n", tree.toString())
			.redirectOutput(sizes.toFile())
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		Process process = builder.start();
		process.waitFor();
		long files = 0;
		long bytes = 0;
		for (String size : Files.readAllLines(sizes)) {
			if (size.matches("\\d+")) {
				files++;
				bytes += Long.parseLong(size);
			}
		}
		this.report.line("tree %s: rhash saw %,d files, %,d bytes (%s)", tree, files, bytes, FigureReport.bytes(bytes));
	}

	private String dropCaches() throws InterruptedException {
		CommandOutput sync = MachineFacts.run(List.of("sync"));
		if (sync.exitCode() != 0) {
			return "sync exited " + sync.exitCode() + ": " + sync.lastLine();
		}
		try {
			Files.writeString(DROP_CACHES, "3", StandardOpenOption.WRITE);
			return null;
		}
		catch (IOException ex) {
			return "echo 3 > " + DROP_CACHES + " is not permitted: " + ex;
		}
	}

	private void mustDropCaches() throws InterruptedException {
		String refused = dropCaches();
		if (refused != null) {
			throw new CommandFailedException(refused);
		}
	}

	private Path compileHello() throws IOException {
		Path hello = this.dir.fresh("hello");
		Path source = hello.resolve("Hello.java");
		Files.writeString(source, "public class Hello {\n\tpublic static void main(String[] args) {\n"
				+ "\t\tSystem.out.println(\"Hello, world\");\n\t}\n}\n");
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		if (compiler == null) {
			throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home"));
		}
		ByteArrayOutputStream errors = new ByteArrayOutputStream();
		int result = compiler.run(null, null, errors, "--release", "11", "-d", hello.toString(), source.toString());
		if (result != 0) {
			throw new IllegalStateException("javac Hello.java failed: " + errors.toString(StandardCharsets.UTF_8));
		}
		return hello;
	}

	private void row(String work, String peerName, RunFigures figures, RunFigures peer, double target) {
		String ratio = "-";
		String met = "-";
		if (peer != null) {
			double value = figures.wall() / peer.wall();
			ratio = String.format(Locale.ROOT, "%.2f", value);
			met = (value <= target) ? "yes" : "no";
		}
		this.rows.add(List.of(work, peerName, FigureReport.seconds(figures.wall()), FigureReport.seconds(figures.cpu()),
				(peer != null) ? FigureReport.seconds(peer.wall()) : "-",
				(peer != null) ? FigureReport.seconds(peer.cpu()) : "-", ratio,
				"<= " + new BigDecimal(Double.toString(target)).stripTrailingZeros().toPlainString(), met));
		this.report.line("-> %s: treesum %.2f s wall, %.2f s CPU (median); %s %s; ratio %s", work, figures.wall(),
				figures.cpu(), peerName,
				(peer != null) ? String.format(Locale.ROOT, "%.2f s wall, %.2f s CPU", peer.wall(), peer.cpu()) : "-",
				ratio);
	}

	private void progress(int run, String what, ScanRun scan, String peerName, Measured peer) {
		this.report.line("  run %d: %s %s (%s)%s", run, what, figures(scan.measured()), scan.line().text(),
				(peer != null) ? "; " + peerName + " " + figures(peer) : "");
	}

	private static String figures(Measured measured) {
		return String.format(Locale.ROOT, "%.2f s wall, %.2f s CPU", measured.wallSeconds(), measured.cpuSeconds());
	}

	private void noteOf(Measured measured) {
		if (!measured.note().isEmpty()) {
			this.report.line("  note: %s", measured.note());
		}
	}

	private Path next(String name, String suffix) {
		return this.output.resolve(String.format(Locale.ROOT, "%03d-%s%s", ++this.commands, name, suffix));
	}

	private static String text(Path file) throws IOException {
		return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
	}

	/**
	 * One measured scan and its last line.
	 */
	private record ScanRun(Measured measured, ScanLine line) {

	}

}
