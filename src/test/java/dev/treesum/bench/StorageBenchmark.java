package dev.treesum.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.treesum.bench.ProcessMeter.Measured;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What treesum's history costs in database bytes, and what pruning gives back, beside a
 * peer build in the same run: each gets a fresh embedded database, seven full scans of a
 * real tree (the two builds alternating scan by scan), the database's size read in SQL
 * (through {@code treesum db --serve}) before and after, then {@code prune --keep 1}
 * timed beside {@code status} and the size it leaves; {@code report changes},
 * {@code report duplicates} and {@code export} are timed before the prune, while there
 * are two scans to compare. Sizes are read so that any schema layout compares:
 * {@code pg_database_size}, and the relations of every schema but the catalogs, each
 * table counted with its partitions, indexes and TOAST. Every command is a child process,
 * as a user runs it. It prints the figures beside their targets and asserts none of them;
 * it fails when a command does, or when a scan resumes an earlier one instead of starting
 * anew. Run it by name:
 *
 * <pre>
 * ./mvnw -q test -Dtest=StorageBenchmark -Dbenchmark.peer="java -jar OLD.jar" &amp;&amp; cat target/storage-benchmark.txt
 * </pre>
 *
 * Properties, all optional: {@code benchmark.treesum} (the command, default
 * {@code target/treesum}), {@code benchmark.peer} (the command of the build to compare
 * with; none by default), {@code benchmark.tree} ({@code /usr}), {@code benchmark.scans}
 * (7), {@code benchmark.runs} (3, for the timed read-only commands),
 * {@code benchmark.dir} and {@code benchmark.keep} (see {@link BenchmarkDirectory}).
 */
class StorageBenchmark {

	private static final Pattern CONNECTION = Pattern
		.compile("postgresql://(?:([^@:/\\s]+)(?::([^@/\\s]*))?@)?([^:/\\s]+)(?::(\\d+))?/([^?\\s]+)");

	private static final Duration SCAN_TIMEOUT = Duration.ofHours(4);

	private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(30);

	private static final Duration SERVE_START = Duration.ofMinutes(3);

	private static final Duration SERVE_STOP = Duration.ofSeconds(30);

	private static final String CATALOGS = "(catalogs)";

	/**
	 * The bytes of every relation, each counted once under the table it belongs to, by
	 * schema and table name.
	 */
	private static final String FAMILIES = resource("relation-families.sql");

	private static final List<String> HEADER = List.of("figure", "treesum", "peer", "target", "met (treesum)");

	private final FigureReport report = new FigureReport("storage-benchmark");

	private final Path tree = Path.of(System.getProperty("benchmark.tree", "/usr")).toAbsolutePath();

	private final int scans = Integer.getInteger("benchmark.scans", 7);

	private final int runs = Integer.getInteger("benchmark.runs", 3);

	private final List<String> failures = new ArrayList<>();

	private BenchmarkDirectory dir;

	private ProcessMeter meter;

	private Path output;

	private int commands;

	@Test
	void databaseBytesPerEntryAndWhatPruneGivesBack() throws Exception {
		List<Subject> subjects = new ArrayList<>();
		subjects.add(new Subject("treesum", TreesumCommand.fromProperty()));
		TreesumCommand peer = TreesumCommand.fromProperty("benchmark.peer", null);
		if (peer != null) {
			subjects.add(new Subject("peer", peer));
		}
		subjects.forEach((subject) -> subject.command.checkRunnable());
		this.dir = BenchmarkDirectory.create("treesum-storage-benchmark");
		try {
			this.meter = ProcessMeter.create();
			this.output = this.dir.fresh("output");
			for (Subject subject : subjects) {
				subject.home = this.dir.fresh("treesum-home-" + subject.name);
			}
			measure(subjects);
		}
		catch (CommandFailedException ex) {
			this.failures.add(ex.getMessage());
			this.report.line("FAILED: %s", ex.getMessage());
		}
		finally {
			this.dir.cleanUp();
		}
		assertThat(this.failures).as("commands that failed, scans that resumed instead of starting anew").isEmpty();
	}

	private void measure(List<Subject> subjects) throws IOException, InterruptedException, SQLException {
		this.report.line("treesum storage benchmark, %s", LocalDateTime.now().withNano(0));
		this.report.line("machine: nproc %s, %s; before: %s", MachineFacts.processors(), MachineFacts.cpuModel(),
				MachineFacts.load());
		this.report.line("working directory %s", Path.of("").toAbsolutePath());
		for (Subject subject : subjects) {
			this.report.line("%s: %s; java: %s; a fresh embedded database: TREESUM_HOME=%s", subject.name,
					subject.command.describe(), MachineFacts.javaVersion(subject.command.java()), subject.home);
		}
		this.report.line("SPRING_DATASOURCE_*, other TREESUM_*, JAVA_OPTS and JAVA_TOOL_OPTIONS unset");
		this.report.line("tree: %s, %d full scans by each, alternating; read-only commands: median of %d runs",
				this.tree, this.scans, this.runs);
		this.report.line("benchmark directory: %s", this.dir.describe());

		this.report.line("");
		for (Subject subject : subjects) {
			subject.before = sizes(subject, "before the first scan");
		}
		for (int scan = 1; scan <= this.scans; scan++) {
			for (Subject subject : subjects) {
				scan(subject, scan);
			}
		}
		for (Subject subject : subjects) {
			subject.after = sizes(subject, "after " + this.scans + " scans");
		}

		this.report.line("");
		this.report.line("read-only commands, before pruning (the last scan against the one before it):");
		for (int run = 1; run <= this.runs; run++) {
			for (Subject subject : subjects) {
				subject.status.add(timed(subject, run, null, "status"));
				subject.changes.add(timed(subject, run, null, "report", "changes"));
				subject.duplicates.add(timed(subject, run, null, "report", "duplicates"));
				subject.export.add(timed(subject, run, new File("/dev/null"), "export"));
			}
		}

		this.report.line("");
		for (Subject subject : subjects) {
			subject.prune = timed(subject, 1, null, "prune", "--keep", "1");
			subject.pruned = sizes(subject, "after prune --keep 1");
		}

		this.report.line("");
		this.report.line("after: %s", MachineFacts.load());
		for (Subject subject : subjects) {
			this.report.line("");
			this.report.line("%s: %,d entries in all over %d scans (the scans' last lines), %,.0f per scan",
					subject.name, subject.entries, this.scans, (double) subject.entries / this.scans);
			families(subject);
		}
		this.report.line("");
		this.report.table(HEADER, rows(subjects));
		this.report.line("(treesum: %s; peer: %s)", subjects.get(0).command.describe(),
				(subjects.size() > 1) ? subjects.get(1).command.describe() : "none (-Dbenchmark.peer names one)");
		this.report.line("(this table: %s)", this.report.file());
	}

	private void scan(Subject subject, int scan) throws IOException, InterruptedException {
		Path out = next(subject.name + "-scan", ".out");
		Path err = next(subject.name + "-scan", ".err");
		Measured measured = this.meter.run(subject.command.builder(subject.home, "scan", this.tree.toString())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile()), SCAN_TIMEOUT);
		ScanLine line = ScanLine.parse(text(out));
		if (measured.exitCode() != 0 || line == null) {
			throw new CommandFailedException(subject.name + ": treesum scan " + this.tree + " exited "
					+ measured.exitCode() + ": " + CommandOutput.lastLine(text(err)));
		}
		this.report.line("%s scan %d of %d: %.1f s wall, %.1f s CPU: %s%s", subject.name, scan, this.scans,
				measured.wallSeconds(), measured.cpuSeconds(), line.text(),
				measured.note().isEmpty() ? "" : "; " + measured.note());
		if (line.scanId() <= subject.lastScanId) {
			String bug = subject.name + ": BUG: scan " + scan + " of " + this.scans + " printed scan id "
					+ line.scanId() + ", not a new one after " + subject.lastScanId
					+ ": it resumed instead of starting anew";
			this.report.line("%s", bug);
			this.failures.add(bug);
		}
		subject.lastScanId = Math.max(subject.lastScanId, line.scanId());
		subject.entries += line.files();
		subject.scanWall.add(measured);
	}

	/**
	 * Bytes per table, before, after the scans and after the prune, the biggest first.
	 */
	private void families(Subject subject) {
		Set<String> names = new LinkedHashSet<>();
		subject.after.families()
			.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.forEach((entry) -> names.add(entry.getKey()));
		names.addAll(subject.before.families().keySet());
		names.addAll(subject.pruned.families().keySet());
		List<List<String>> rows = new ArrayList<>();
		rows.add(List.of("pg_database_size", number(subject.before.database()), number(subject.after.database()),
				number(subject.pruned.database()), perEntry(subject, Sizes::database)));
		rows.add(List.of("relations outside the catalogs", number(subject.before.relations()),
				number(subject.after.relations()), number(subject.pruned.relations()),
				perEntry(subject, Sizes::relations)));
		for (String name : names) {
			long before = subject.before.families().getOrDefault(name, 0L);
			long after = subject.after.families().getOrDefault(name, 0L);
			long pruned = subject.pruned.families().getOrDefault(name, 0L);
			if (before == 0 && after == 0 && pruned == 0) {
				continue;
			}
			rows.add(List.of("  " + name, number(before), number(after), number(pruned),
					decimal((double) (after - before) / subject.entries)));
		}
		this.report.table(List.of(subject.name + ": bytes", "before", "after " + this.scans + " scans",
				"after prune --keep 1", "added per entry per scan"), rows);
		this.report.line("(a table counts its partitions, indexes and TOAST; %s: pg_catalog and "
				+ "information_schema, which grow with every partition)", CATALOGS);
	}

	private List<List<String>> rows(List<Subject> subjects) {
		Subject mine = subjects.get(0);
		Subject peer = (subjects.size() > 1) ? subjects.get(1) : null;
		List<List<String>> rows = new ArrayList<>();
		rows.add(row("entries per scan", mine, peer, (s) -> number(s.entries / this.scans), "-", null));
		rows.add(row("full scan wall s (median of the scans)", mine, peer,
				(s) -> FigureReport.seconds(new RunFigures(s.scanWall).wall()), "-", null));
		rows.add(row("database bytes per entry per scan (pg_database_size)", mine, peer,
				(s) -> perEntry(s, Sizes::database), "<= 160", perEntryValue(mine, Sizes::database) <= 160));
		rows.add(row("database bytes per entry per scan (relations)", mine, peer, (s) -> perEntry(s, Sizes::relations),
				"<= 160", perEntryValue(mine, Sizes::relations) <= 160));
		rows.add(row("status wall s (median)", mine, peer, (s) -> FigureReport.seconds(new RunFigures(s.status).wall()),
				"-", null));
		rows.add(row("prune --keep 1 wall s", mine, peer, (s) -> FigureReport.seconds(s.prune.wallSeconds()),
				"<= status + 1 s", mine.prune.wallSeconds() <= new RunFigures(mine.status).wall() + 1));
		rows.add(row("added size left after prune (pg_database_size)", mine, peer,
				(s) -> percent(left(s, Sizes::database)), "<= 30 %", left(mine, Sizes::database) <= 0.30));
		rows.add(row("added size left after prune (relations)", mine, peer, (s) -> percent(left(s, Sizes::relations)),
				"<= 30 %", left(mine, Sizes::relations) <= 0.30));
		String elsewhere = "10M rows: ReportQueryBenchmark";
		rows.add(row("report changes wall s (median)", mine, peer,
				(s) -> FigureReport.seconds(new RunFigures(s.changes).wall()), elsewhere, null));
		rows.add(row("report duplicates wall s (median)", mine, peer,
				(s) -> FigureReport.seconds(new RunFigures(s.duplicates).wall()), elsewhere, null));
		rows.add(row("export > /dev/null wall s (median)", mine, peer,
				(s) -> FigureReport.seconds(new RunFigures(s.export).wall()), "-", null));
		return rows;
	}

	private static List<String> row(String figure, Subject mine, Subject peer, Function<Subject, String> value,
			String target, Boolean met) {
		return List.of(figure, value.apply(mine), (peer != null) ? value.apply(peer) : "-", target,
				(met == null) ? "-" : (met ? "yes" : "no"));
	}

	private static double perEntryValue(Subject subject, Function<Sizes, Long> size) {
		return (double) (size.apply(subject.after) - size.apply(subject.before)) / subject.entries;
	}

	private static String perEntry(Subject subject, Function<Sizes, Long> size) {
		return decimal(perEntryValue(subject, size));
	}

	private static double left(Subject subject, Function<Sizes, Long> size) {
		return (double) (size.apply(subject.pruned) - size.apply(subject.before))
				/ (size.apply(subject.after) - size.apply(subject.before));
	}

	/**
	 * One run of a command that must succeed, its standard output to a file (counted) or
	 * to {@code sink}.
	 */
	private Measured timed(Subject subject, int run, File sink, String... arguments)
			throws IOException, InterruptedException {
		Path out = next(subject.name + "-" + arguments[0], ".out");
		Path err = next(subject.name + "-" + arguments[0], ".err");
		Measured measured = this.meter.run(subject.command.builder(subject.home, arguments)
			.redirectOutput((sink != null) ? sink : out.toFile())
			.redirectError(err.toFile()), COMMAND_TIMEOUT);
		if (measured.exitCode() != 0) {
			throw new CommandFailedException(subject.name + ": treesum " + String.join(" ", arguments) + " exited "
					+ measured.exitCode() + ": " + CommandOutput.lastLine(text(err)));
		}
		String printed = (sink != null) ? "output to " + sink
				: String.format(Locale.ROOT, "%,d lines of output", text(out).lines().count());
		this.report.line("  run %d: %s: treesum %s: %.2f s wall, %.2f s CPU (%s)%s", run, subject.name,
				String.join(" ", arguments), measured.wallSeconds(), measured.cpuSeconds(), printed,
				measured.note().isEmpty() ? "" : "; " + measured.note());
		return measured;
	}

	/**
	 * The database's size, read in SQL while {@code treesum db --serve} keeps the
	 * embedded server up; then the server is stopped as a user stops it (SIGTERM), and
	 * whatever it leaves running is reported and stopped too.
	 */
	private Sizes sizes(Subject subject, String when) throws IOException, InterruptedException, SQLException {
		Path out = next(subject.name + "-db-serve", ".out");
		Path err = next(subject.name + "-db-serve", ".err");
		ProcessMeter.Running serve = this.meter.start(subject.command.builder(subject.home, "db", "--serve")
			.redirectOutput(out.toFile())
			.redirectError(err.toFile()));
		Sizes sizes;
		try {
			Matcher connection = awaitConnection(serve, out, err);
			String jdbc = "jdbc:postgresql://" + connection.group(3) + ":"
					+ ((connection.group(4) != null) ? connection.group(4) : "5432") + "/" + connection.group(5);
			String user = (connection.group(1) != null) ? connection.group(1) : "postgres";
			String password = (connection.group(2) != null) ? connection.group(2) : "";
			try (Connection database = DriverManager.getConnection(jdbc, user, password);
					Statement statement = database.createStatement()) {
				long size = single(statement, "select pg_database_size(current_database())");
				Map<String, Long> families = new LinkedHashMap<>();
				long relations = 0;
				try (ResultSet result = statement.executeQuery(FAMILIES)) {
					while (result.next()) {
						String schema = result.getString(1);
						long bytes = result.getLong(3);
						if (schema.equals("pg_catalog") || schema.equals("information_schema")) {
							families.merge(CATALOGS, bytes, Long::sum);
						}
						else {
							families.put(schema + "." + result.getString(2), bytes);
							relations += bytes;
						}
					}
				}
				sizes = new Sizes(size, relations, families);
			}
		}
		finally {
			long stopping = System.nanoTime();
			serve.stop();
			Measured stopped = serve.await(SERVE_STOP);
			double exited = (System.nanoTime() - stopping) / 1e9 - serve.secondsSinceExit();
			this.report.line("%s: db --serve %s: SIGTERM, it exited %d after %.1f s%s", subject.name, when,
					stopped.exitCode(), exited, stopped.note().isEmpty() ? "" : "; " + stopped.note());
		}
		this.report.line("%s: database size %s: %s bytes (pg_database_size), %s bytes (relations outside the catalogs)",
				subject.name, when, number(sizes.database()), number(sizes.relations()));
		return sizes;
	}

	private static Matcher awaitConnection(ProcessMeter.Running serve, Path out, Path err)
			throws IOException, InterruptedException {
		long deadline = System.nanoTime() + SERVE_START.toNanos();
		while (true) {
			Matcher connection = CONNECTION.matcher(text(out));
			if (connection.find()) {
				return connection;
			}
			if (!serve.isAlive()) {
				throw new CommandFailedException(
						"treesum db --serve ended without a connection string: " + CommandOutput.lastLine(text(err)));
			}
			if (System.nanoTime() > deadline) {
				throw new CommandFailedException("treesum db --serve printed no connection string within "
						+ SERVE_START.toSeconds() + " s: " + CommandOutput.lastLine(text(err)));
			}
			Thread.sleep(100);
		}
	}

	private static String resource(String name) {
		try (var in = StorageBenchmark.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("no resource " + name + " beside " + StorageBenchmark.class);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long single(Statement statement, String sql) throws SQLException {
		try (ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	private Path next(String name, String suffix) {
		return this.output.resolve(String.format(Locale.ROOT, "%03d-%s%s", ++this.commands, name, suffix));
	}

	private static String text(Path file) throws IOException {
		return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
	}

	private static String number(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

	private static String decimal(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	private static String percent(double share) {
		return String.format(Locale.ROOT, "%.0f %%", share * 100);
	}

	/**
	 * The database's size by both measures, in bytes, and the bytes of each table with
	 * its partitions, indexes and TOAST, by schema-qualified name.
	 */
	private record Sizes(long database, long relations, Map<String, Long> families) {

	}

	/**
	 * One build under measurement, with its own database and what was measured of it.
	 */
	private static final class Subject {

		private final String name;

		private final TreesumCommand command;

		private final List<Measured> scanWall = new ArrayList<>();

		private final List<Measured> status = new ArrayList<>();

		private final List<Measured> changes = new ArrayList<>();

		private final List<Measured> duplicates = new ArrayList<>();

		private final List<Measured> export = new ArrayList<>();

		private Path home;

		private long entries;

		private long lastScanId;

		private Sizes before;

		private Sizes after;

		private Sizes pruned;

		private Measured prune;

		Subject(String name, TreesumCommand command) {
			this.name = name;
			this.command = command;
		}

	}

}
