package dev.treesum.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.treesum.TestDatabase;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import dev.treesum.db.EmbeddedDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever kills a scan, the next run finishes it: SIGKILL, SIGTERM, a database that goes
 * away, an embedded server orphaned by its killed owner. Each case runs treesum in child
 * JVMs against real PostgreSQL and checks that every file ends up stored exactly once
 * with the right digest, that the resumed run did not start over, and that the result
 * equals an uninterrupted scan's.
 */
class ScanRestartIntegrationTests {

	private static final Pattern SUMMARY = Pattern.compile("scan (\\d+) (\\w+): ([\\d,]+) files");

	private static final int FILES_PER_ROOT = 1500;

	/** Slow enough to be interrupted halfway, with many chunks committed before. */
	private static final String[] SLOW = { "--treesum.pause-per-file=3ms", "--treesum.chunk-size=50", "--threads",
			"2" };

	@TempDir
	private Path temp;

	private Path first;

	private Path second;

	private Map<String, String> expected;

	@BeforeEach
	void makeTree() throws Exception {
		this.first = this.temp.resolve("first");
		this.second = this.temp.resolve("second");
		smallFiles(this.first);
		smallFiles(this.second);
		this.expected = TestTrees.sha256sums(this.first);
		this.expected.putAll(TestTrees.sha256sums(this.second));
	}

	@Test
	void resumesAfterSigkillFromTheLastCommittedChunk() throws Exception {
		String url = TestDatabase.url();
		Process scan = start(TreesumProcess.against(slowScan()));
		long scanId = waitForCommittedFiles(scan, url, 600);
		scan.destroyForcibly().waitFor();

		TreesumProcess.Result resumed = TreesumProcess.against(scanArgs()).run();

		assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
		assertThat(scanId(resumed, "completed")).isEqualTo(scanId);
		assertThat(resumed.stderr()).contains("Resuming scan " + scanId);
		assertEveryFileOnce(url, scanId);
		assertThat(filesReadByLastAttempt(url, scanId)).isPositive().isLessThan(2 * FILES_PER_ROOT);

		TreesumProcess.Result fresh = TreesumProcess.against(scanArgs("--new")).run();
		assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
		assertThat(rows(url, scanId(fresh, "completed"))).isEqualTo(rows(url, scanId));
	}

	@Test
	void stopsOnSigtermWithinTheLimitAndRestartFinishesIt() throws Exception {
		String url = TestDatabase.url();
		Process scan = start(TreesumProcess.against(slowScan()));
		long scanId = waitForCommittedFiles(scan, url, 600);
		long signalled = System.nanoTime();
		scan.destroy();
		assertThat(scan.waitFor(25, TimeUnit.SECONDS)).as("stopped within the 20 s limit").isTrue();

		assertThat(scan.exitValue()).isEqualTo(3);
		assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(20));
		assertThat(state(url, scanId)).isEqualTo("STOPPED");

		TreesumProcess.Result restarted = TreesumProcess.against("restart", Long.toString(scanId)).run();

		assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
		assertThat(scanId(restarted, "completed")).isEqualTo(scanId);
		assertEveryFileOnce(url, scanId);
		assertThat(filesReadByLastAttempt(url, scanId)).isLessThan(2 * FILES_PER_ROOT);
	}

	@Test
	void failsWhenTheDatabaseGoesAwayAndResumesWhenItIsBack() throws Exception {
		Path data = this.temp.resolve("pgdata");
		EmbeddedDatabase database = EmbeddedDatabase.start(data);
		Process scan = start(TreesumProcess.against(slowScan()).env("SPRING_DATASOURCE_URL", database.jdbcUrl()));
		long scanId = waitForCommittedFiles(scan, database.jdbcUrl() + "&currentSchema=treesum", 600);
		database.close();

		assertThat(scan.waitFor(90, TimeUnit.SECONDS)).as("gave up on the lost database").isTrue();
		assertThat(scan.exitValue()).isEqualTo(1);
		assertThat(Files.readString(this.temp.resolve("stderr.txt"))).contains("treesum: ")
			.doesNotContain("\tat org.springframework");

		EmbeddedDatabase again = EmbeddedDatabase.start(data);
		try {
			TreesumProcess.Result resumed = TreesumProcess.against(scanArgs())
				.env("SPRING_DATASOURCE_URL", again.jdbcUrl())
				.run();
			assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
			assertThat(scanId(resumed, "completed")).isEqualTo(scanId);
			assertEveryFileOnce(again.jdbcUrl() + "&currentSchema=treesum", scanId);
		}
		finally {
			again.close();
		}
	}

	@Test
	void resumesAfterSigkillOnTheEmbeddedDatabaseWithItsServerOrphaned() throws Exception {
		Path home = this.temp.resolve("home");
		Process scan = start(TreesumProcess.embedded(home, slowScan()));
		String url = waitForEmbeddedServer(scan, home);
		long scanId = waitForCommittedFiles(scan, url, 600);
		scan.destroyForcibly().waitFor();
		assertThat(home.resolve("pgdata/postmaster.pid")).as("the orphaned server runs on").exists();

		TreesumProcess.Result resumed = TreesumProcess.embedded(home, scanArgs()).run();

		assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
		assertThat(scanId(resumed, "completed")).isEqualTo(scanId);
		assertThat(home.resolve("pgdata/postmaster.pid")).as("no server left behind").doesNotExist();
		EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("pgdata"));
		try {
			assertEveryFileOnce(database.jdbcUrl() + "&currentSchema=treesum", scanId);
		}
		finally {
			database.close();
		}
	}

	@Test
	void stopsOnATerminalsInterruptWithTheEmbeddedServerRunningOnAndRestartFinishesIt() throws Exception {
		Path home = this.temp.resolve("home");
		// A terminal's Ctrl-C signals its foreground process group: treesum and every
		// child
		// it did not put in a session of its own.
		ProcessBuilder foreground = TreesumProcess.embedded(home, slowScan())
			.builder(this.temp.resolve("stdout.txt"), this.temp.resolve("stderr.txt"));
		foreground.command().add(0, "setsid");
		Process scan = foreground.start();
		String url = waitForEmbeddedServer(scan, home);
		long scanId = waitForCommittedFiles(scan, url, 600);

		new ProcessBuilder("kill", "-INT", "--", "-" + scan.pid()).inheritIO().start().waitFor();

		assertThat(scan.waitFor(25, TimeUnit.SECONDS)).as("stopped within the 20 s limit").isTrue();
		assertThat(scan.exitValue()).as(Files.readString(this.temp.resolve("stderr.txt"))).isEqualTo(3);
		assertThat(home.resolve("pgdata/postmaster.pid")).as("the server stopped with treesum").doesNotExist();
		TreesumProcess.Result restarted = TreesumProcess.embedded(home, "restart", Long.toString(scanId)).run();
		assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
		assertThat(scanId(restarted, "completed")).isEqualTo(scanId);
		assertThat(restarted.stderr()).as("the stop was committed, not found by a later start")
			.doesNotContain("left running");
		EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("pgdata"));
		try {
			assertEveryFileOnce(database.jdbcUrl() + "&currentSchema=treesum", scanId);
		}
		finally {
			database.close();
		}
	}

	@Test
	void twoScansOfTheSameRootsStartedAtOnceRunOnce() throws Exception {
		Process one = start(TreesumProcess.against(slowScan()), "one");
		Process other = start(TreesumProcess.against(slowScan()), "other");
		assertThat(one.waitFor(120, TimeUnit.SECONDS) && other.waitFor(120, TimeUnit.SECONDS)).isTrue();

		List<Integer> codes = List.of(one.exitValue(), other.exitValue());
		assertThat(codes).containsExactlyInAnyOrder(0, 4);
		String loser = Files.readString(this.temp.resolve(((one.exitValue() == 4) ? "one" : "other") + "-stderr.txt"));
		assertThat(loser).containsPattern("scan \\d+ of .* is running in process \\d+ on ");
		long scans = count(TestDatabase.url(), "select count(*) from treesum_scan where roots_key = ?", rootsKey());
		assertThat(scans).isEqualTo(1);
	}

	private String[] scanArgs(String... extra) {
		List<String> args = new ArrayList<>(List.of("scan", this.first.toString(), this.second.toString()));
		args.addAll(List.of(extra));
		return args.toArray(String[]::new);
	}

	private String[] slowScan() {
		return scanArgs(SLOW);
	}

	private Process start(TreesumProcess process) throws IOException {
		return process.builder(this.temp.resolve("stdout.txt"), this.temp.resolve("stderr.txt")).start();
	}

	private Process start(TreesumProcess process, String name) throws IOException {
		return process.builder(this.temp.resolve(name + "-stdout.txt"), this.temp.resolve(name + "-stderr.txt"))
			.start();
	}

	private String rootsKey() throws IOException {
		return ScanRepository
			.rootsKey(List.of(this.first.toRealPath().toString(), this.second.toRealPath().toString()));
	}

	/**
	 * Wait until the scan of the test's roots has committed some files, and return its
	 * id.
	 */
	private long waitForCommittedFiles(Process scan, String url, long files) throws Exception {
		SQLException last = null;
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline && scan.isAlive()) {
			try (Connection connection = DriverManager.getConnection(url, "postgres", "");
					PreparedStatement statement = connection
						.prepareStatement("select s.id, coalesce(sum(p.files), 0) from treesum_scan s "
								+ "left join treesum_partition p on p.scan_id = s.id where s.roots_key = ? "
								+ "group by s.id order by s.id desc limit 1")) {
				statement.setString(1, rootsKey());
				try (ResultSet result = statement.executeQuery()) {
					if (result.next() && result.getLong(2) >= files) {
						assertThat(result.getLong(2)).as("still running when interrupted")
							.isLessThan(2 * FILES_PER_ROOT);
						return result.getLong(1);
					}
				}
			}
			catch (SQLException ex) {
				// not created or migrated yet
				last = ex;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("no files committed while it ran (last error: " + last + "); stderr:\n"
				+ Files.readString(this.temp.resolve("stderr.txt")));
	}

	/**
	 * Wait until the embedded server that a child JVM started accepts connections, and
	 * return its URL. initdb leaves a pid file with the default port first, so the port
	 * is read again until a connection succeeds.
	 */
	private String waitForEmbeddedServer(Process scan, Path home) throws Exception {
		Path pidFile = home.resolve("pgdata/postmaster.pid");
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline && scan.isAlive()) {
			List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
			if (lines.size() > 3 && !lines.get(3).isBlank()) {
				String url = "jdbc:postgresql://localhost:" + lines.get(3).trim() + "/postgres?currentSchema=treesum";
				try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
					return url;
				}
				catch (SQLException ex) {
					// not up yet
				}
			}
			Thread.sleep(50);
		}
		throw new AssertionError("the embedded server did not start");
	}

	private void assertEveryFileOnce(String url, long scanId) throws SQLException {
		Map<String, String> stored = new HashMap<>();
		List<String> paths = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				PreparedStatement statement = connection.prepareStatement(
						"select path_text, digest from treesum_file where scan_id = ? and kind = 'file'")) {
			statement.setLong(1, scanId);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					paths.add(result.getString(1));
					stored.put(result.getString(1), HexFormat.of().formatHex(result.getBytes(2)));
				}
			}
		}
		assertThat(paths).doesNotHaveDuplicates().hasSize(this.expected.size());
		assertThat(stored.keySet()).isEqualTo(this.expected.keySet());
		assertThat(stored.entrySet()).as("digests that differ from sha256sum's")
			.filteredOn((entry) -> !entry.getValue().equals(this.expected.get(entry.getKey())))
			.isEmpty();
		assertThat(count(url, "select sum(files) from treesum_partition where scan_id = ?", scanId))
			.as("partition totals")
			.isEqualTo(this.expected.size());
	}

	private long filesReadByLastAttempt(String url, long scanId) throws SQLException {
		return count(url, "select coalesce(sum(se.read_count), 0) from batch_step_execution se "
				+ "where se.step_name like 'mountStep:%' and se.job_execution_id = (select max(e.job_execution_id) "
				+ "from batch_job_execution e join treesum_scan s on s.job_instance_id = e.job_instance_id "
				+ "where s.id = ?)", scanId);
	}

	private String state(String url, long scanId) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				PreparedStatement statement = connection
					.prepareStatement("select state from treesum_scan_status where scan_id = ?")) {
			statement.setLong(1, scanId);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getString(1);
			}
		}
	}

	private List<String> rows(String url, long scanId) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				PreparedStatement statement = connection
					.prepareStatement("select encode(path, 'hex'), kind, status, size, mtime_ns, inode, "
							+ "encode(digest, 'hex') from treesum_file where scan_id = ? order by path")) {
			statement.setLong(1, scanId);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					StringBuilder row = new StringBuilder();
					for (int i = 1; i <= 7; i++) {
						row.append(result.getString(i)).append('|');
					}
					rows.add(row.toString());
				}
			}
		}
		return rows;
	}

	private static long count(String url, String sql, Object parameter) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setObject(1, parameter);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	private static long scanId(TreesumProcess.Result result, String state) {
		List<String> lines = result.out().lines().toList();
		Matcher matcher = SUMMARY.matcher(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
		assertThat(matcher.find()).as(result.toString()).isTrue();
		assertThat(matcher.group(2)).isEqualTo(state);
		return Long.parseLong(matcher.group(1));
	}

	private static void smallFiles(Path root) throws IOException {
		for (int i = 0; i < FILES_PER_ROOT; i++) {
			Path directory = root.resolve("d" + (i % 10));
			Files.createDirectories(directory);
			Files.writeString(directory.resolve("f" + i), "file " + i + " of " + root.getFileName() + "\n");
		}
	}

}
