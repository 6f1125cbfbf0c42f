package dev.treesum.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * treesum on a server it shares, as an operator sets it up with {@code db/roles.sql}: the
 * owner migrates, the writer scans, the reporter reads every report and view and cannot
 * write, not even through treesum's own functions; each scan's entries are a partition of
 * their own; and processes in different time zones see the same instants. A server of the
 * test's own, since roles belong to the whole server.
 */
class SharedServerIntegrationTests {

	private static final Pattern COMPLETED = Pattern.compile("scan (\\d+) completed: ");

	private static EmbeddedDatabase server;

	private static String url;

	@TempDir
	private static Path data;

	@TempDir
	private Path temp;

	@BeforeAll
	static void startServerWithRoles() throws Exception {
		server = EmbeddedDatabase.start(data.resolve("pgdata"));
		// Without the embedded server's user in the URL, which would override the roles.
		url = server.jdbcUrl().replace("user=postgres&", "");
		JdbcTemplate admin = jdbc("postgres", "");
		admin.execute(Files.readString(Path.of("db/roles.sql")));
		for (String role : List.of("owner", "writer", "reporter")) {
			admin.execute("alter role treesum_" + role + " password '" + role + "-secret'");
		}
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@Test
	void theReporterRunsEveryReportButCannotWrite() throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("tree"));
		TestTrees.mixedFiles(root, 30, 11);
		long first = scanAsWriter(root);
		Files.writeString(root.resolve("d0/e0/f0.bin"), "changed");
		Files.copy(root.resolve("d1/e1/f1.bin"), root.resolve("copy.bin"));
		long second = scanAsWriter(root);

		for (String[] command : List.of(new String[] { "status" }, new String[] { "status", Long.toString(second) },
				new String[] { "report", "summary" }, new String[] { "report", "changes" },
				new String[] { "report", "duplicates" }, new String[] { "report", "errors" },
				new String[] { "report", "stale" }, new String[] { "report", "changes", "--include-touched" },
				new String[] { "export" }, new String[] { "export", "--format", "csv" })) {
			TreesumProcess.Result result = asReporter(command).run();
			assertThat(result.exitCode()).as(String.join(" ", command) + "\n" + result).isZero();
		}
		assertThat(asReporter("report", "changes", "--format", "csv").run().out()).contains("modified,")
			.contains("added,");

		JdbcTemplate reporter = jdbc("treesum_reporter", "reporter-secret");
		assertThat(reporter.queryForObject("select current_user", String.class)).isEqualTo("treesum_reporter");
		assertThat(reporter.queryForObject("select count(*) from treesum_file where scan_id = ?", Long.class, second))
			.isEqualTo(31);
		for (String write : List.of("insert into treesum_series (host, roots_key) values ('x', 'y')",
				"update treesum_partition set files = 0", "delete from treesum_entry",
				"delete from treesum_path where series_id = 1", "truncate treesum_shape",
				"create table treesum_mine (id integer)", "select treesum_drop_entries(" + first + ")",
				"select treesum_collect_paths(1)",
				"select treesum_create_scan('x', '{/x}', '/x', 'sha256', '{}', false, 0, false, null)")) {
			assertThatExceptionOfType(Exception.class).as(write)
				.isThrownBy(() -> reporter.execute(write))
				.satisfies((ex) -> assertThat(sqlState(ex)).as(write).isEqualTo("42501"));
		}
		assertThat(reporter.queryForObject("select count(*) from treesum_file where scan_id = ?", Long.class, first))
			.as("the first scan's entries are still there")
			.isEqualTo(30);
	}

	@Test
	void eachScanHasAPartitionOfItsOwnThatPruneDropsWhole() throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("pruned"));
		TestTrees.mixedFiles(root, 12, 5);
		long first = scanAsWriter(root);
		long second = scanAsWriter(root);
		JdbcTemplate owner = jdbc("treesum_owner", "owner-secret");
		assertThat(partitions(owner)).contains("treesum_entry_" + first, "treesum_entry_" + second,
				"treesum_error_" + first, "treesum_error_" + second);
		assertThat(owner.queryForObject("select relpages > 0 and reltuples = 12 from pg_class where relname = ?",
				Boolean.class, "treesum_entry_" + second))
			.as("a completed scan's partition is vacuumed and analyzed")
			.isTrue();

		TreesumProcess.Result prune = asWriter("prune", "--keep", "1").run();

		assertThat(prune.exitCode()).as(prune.toString()).isZero();
		assertThat(partitions(owner)).doesNotContain("treesum_entry_" + first, "treesum_error_" + first)
			.contains("treesum_entry_" + second);
		assertThat(owner.queryForObject("select count(*) from treesum_file where scan_id = ?", Long.class, second))
			.isEqualTo(12);
	}

	@Test
	void processesInDifferentTimeZonesSeeTheSameInstants() throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("zones"));
		TestTrees.mixedFiles(root, 5, 3);
		Instant before = Instant.now().minusSeconds(1);
		TreesumProcess.Result scan = asWriter("scan", root.toString()).env("TZ", "Asia/Tokyo").run();
		Instant after = Instant.now().plusSeconds(1);
		assertThat(scan.exitCode()).as(scan.toString()).isZero();
		long scanId = scanId(scan);

		JdbcTemplate owner = jdbc("treesum_owner", "owner-secret");
		Map<String, Object> times = owner.queryForMap("select e.start_time, e.end_time, s.created_at "
				+ "from treesum_scan s join batch_job_execution e on e.job_instance_id = s.job_instance_id "
				+ "where s.id = ?", scanId);
		for (Object time : times.values()) {
			assertThat(((java.sql.Timestamp) time).toInstant()).isBetween(before, after);
		}
		ZoneId newYork = ZoneId.of("America/New_York");
		TreesumProcess.Result status = asReporter("status", Long.toString(scanId)).env("TZ", newYork.getId()).run();
		assertThat(status.exitCode()).as(status.toString()).isZero();
		Matcher started = Pattern.compile("(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)").matcher(status.out());
		assertThat(started.find()).as(status.out()).isTrue();
		Instant shown = LocalDateTime.parse(started.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
			.atZone(newYork)
			.toInstant();
		assertThat(shown).as("the start a reader in New York sees of a scan written in Tokyo")
			.isBetween(before.minusSeconds(1), after);
	}

	private long scanAsWriter(Path root) throws Exception {
		TreesumProcess.Result scan = asWriter("scan", root.toString()).run();
		assertThat(scan.exitCode()).as(scan.toString()).isZero();
		return scanId(scan);
	}

	private static long scanId(TreesumProcess.Result scan) {
		Matcher matcher = COMPLETED.matcher(scan.out());
		assertThat(matcher.find()).as(scan.toString()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	/**
	 * The writer, with the owner running the migrations, as the README sets it up.
	 */
	private static TreesumProcess asWriter(String... arguments) {
		return TreesumProcess.against(arguments)
			.env("SPRING_DATASOURCE_URL", url)
			.env("SPRING_DATASOURCE_USERNAME", "treesum_writer")
			.env("SPRING_DATASOURCE_PASSWORD", "writer-secret")
			.env("SPRING_FLYWAY_USER", "treesum_owner")
			.env("SPRING_FLYWAY_PASSWORD", "owner-secret");
	}

	private static TreesumProcess asReporter(String... arguments) {
		return TreesumProcess.against(arguments)
			.env("SPRING_DATASOURCE_URL", url)
			.env("SPRING_DATASOURCE_USERNAME", "treesum_reporter")
			.env("SPRING_DATASOURCE_PASSWORD", "reporter-secret")
			.env("SPRING_FLYWAY_ENABLED", "false");
	}

	private static List<String> partitions(JdbcTemplate jdbc) {
		return jdbc.queryForList("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
				+ "join pg_class p on p.oid = i.inhparent where p.relname in ('treesum_entry', 'treesum_error')",
				String.class);
	}

	private static JdbcTemplate jdbc(String user, String password) throws SQLException {
		Connection connection = DriverManager.getConnection(url + "&currentSchema=treesum", user, password);
		return new JdbcTemplate(new SingleConnectionDataSource(connection, true));
	}

	private static String sqlState(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				return sql.getSQLState();
			}
		}
		return null;
	}

}
