package dev.treesum.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.treesum.TestDatabase;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import dev.treesum.TreesumSpringTest;
import dev.treesum.launch.ScanOwner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many hosts share one database: every command that picks a scan by default picks among
 * this host's scans, {@code --host} picks another host's, {@code --all-hosts} spans them,
 * and {@code restart} never resumes another host's scan unless {@code --host} names that
 * host. This host is the machine's name here, as the test configures no
 * {@code treesum.host}; the other hosts are names of the test's own.
 */
@TreesumSpringTest
class HostScopeIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	private Path temp;

	private TreesumCli cli;

	private String thisHost;

	private String otherHost;

	@BeforeEach
	void hosts() {
		this.cli = new TreesumCli(this.context);
		this.thisHost = ScanOwner.current().machine();
		this.otherHost = "other-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void statusListsThisHostsScansUnlessAnotherHostOrEveryHostIsAsked() throws Exception {
		long mine = this.cli.scan(tree("mine", 3).toString());
		long others = this.cli.scan("--host", this.otherHost, tree("others", 3).toString());

		List<List<String>> here = statusRows("status", "--limit", "1000");
		List<List<String>> there = statusRows("status", "--host", this.otherHost);
		List<List<String>> everywhere = statusRows("status", "--all-hosts", "--limit", "1000");

		assertThat(here).extracting((row) -> row.get(1)).containsOnly(this.thisHost);
		assertThat(here).extracting((row) -> row.get(0))
			.contains(Long.toString(mine))
			.doesNotContain(Long.toString(others));
		assertThat(there).extracting((row) -> row.get(0)).containsExactly(Long.toString(others));
		assertThat(everywhere).extracting((row) -> row.get(0)).contains(Long.toString(mine), Long.toString(others));
		assertThat(this.cli.run("status", "--host", this.otherHost, "--all-hosts").exitCode()).isEqualTo(2);
		assertThat(this.cli.run("status", "--host", this.thisHost, Long.toString(others)).exitCode())
			.as("a scan of another host than --host names")
			.isEqualTo(2);
	}

	@Test
	void reportAndExportDefaultToThisHostsLatestCompletedScanAndHostPicksAnothers() throws Exception {
		Path mine = tree("mine", 4);
		Path others = tree("others", 6);
		long myScan = this.cli.scan(mine.toString());
		// The newest scan of the database is the other host's.
		long otherScan = this.cli.scan("--host", this.otherHost, others.toString());

		assertThat(summaryRoot("report", "summary", "--format", "csv")).isEqualTo(mine.toRealPath().toString());
		assertThat(summaryRoot("report", "summary", "--host", this.otherHost, "--format", "csv"))
			.isEqualTo(others.toRealPath().toString());
		String mineReal = mine.toRealPath().toString();
		String othersReal = others.toRealPath().toString();
		assertThat(exportedPaths("export", "--format", "csv")).hasSize(4).allMatch((path) -> path.startsWith(mineReal));
		assertThat(exportedPaths("export", "--host", this.otherHost, "--format", "csv")).hasSize(6)
			.allMatch((path) -> path.startsWith(othersReal));
		// A scan given by its id is that scan, unless --host says otherwise.
		assertThat(exportedPaths("export", "--scan", Long.toString(otherScan), "--format", "csv")).hasSize(6);
		TreesumCli.Run contradiction = this.cli.run("report", "errors", "--scan", Long.toString(myScan), "--host",
				this.otherHost);
		assertThat(contradiction.exitCode()).isEqualTo(2);
		assertThat(contradiction.err()).contains("scan " + myScan + " belongs to host " + this.thisHost);
		TreesumCli.Run none = this.cli.run("report", "summary", "--host", "never-" + this.otherHost);
		assertThat(none.exitCode()).isEqualTo(2);
		assertThat(none.err()).contains("has no completed scan");
	}

	@Test
	void duplicatesAcrossEveryHostFindTheSameContentOnDifferentHosts() throws Exception {
		String secondHost = this.otherHost + "-2";
		Path one = tree("one", 3);
		Path two = tree("two", 3);
		Files.writeString(one.resolve("copy.txt"), "the same everywhere, " + this.otherHost);
		Files.writeString(two.resolve("copy.txt"), "the same everywhere, " + this.otherHost);
		long first = this.cli.scan("--host", this.otherHost, one.toString());
		long second = this.cli.scan("--host", secondHost, two.toString());

		TreesumCli.Run single = this.cli.run("report", "duplicates", "--host", this.otherHost, "--format", "csv");
		TreesumCli.Run fleet = this.cli.run("report", "duplicates", "--all-hosts", "--format", "csv");

		assertThat(single.exitCode()).as(single.toString()).isZero();
		assertThat(single.out().lines().skip(1)).as("no file is duplicated within one host's tree").isEmpty();
		assertThat(fleet.exitCode()).as(fleet.toString()).isZero();
		assertThat(fleet.out().lines().findFirst()).hasValue("group,digest,size,host,scan,path");
		List<String[]> copies = fleet.out()
			.lines()
			.filter((line) -> line.endsWith("/copy.txt"))
			.map((line) -> line.split(","))
			.toList();
		assertThat(copies).extracting((row) -> row[3] + " " + row[4] + " " + row[5])
			.containsExactlyInAnyOrder(this.otherHost + " " + first + " " + one.toRealPath().resolve("copy.txt"),
					secondHost + " " + second + " " + two.toRealPath().resolve("copy.txt"));
		assertThat(copies).extracting((row) -> row[0]).as("one group").containsOnly(copies.get(0)[0]);
		assertThat(this.cli.run("report", "duplicates", "--all-hosts", "--scan", Long.toString(first)).exitCode())
			.isEqualTo(2);
	}

	@Test
	void pruneKeepsOtherHostsScansUnlessAskedForThemOrForEveryHost() throws Exception {
		String secondHost = this.otherHost + "-2";
		Path tree = tree("pruned", 5);
		long firstOfOther = this.cli.scan("--host", this.otherHost, tree.toString());
		long lastOfOther = this.cli.scan("--host", this.otherHost, tree.toString());
		long firstOfSecond = this.cli.scan("--host", secondHost, tree.toString());
		long lastOfSecond = this.cli.scan("--host", secondHost, tree.toString());

		TreesumCli.Run here = this.cli.run("prune", "--keep", "1");
		assertThat(here.exitCode()).as(here.toString()).isZero();
		assertThat(rows(firstOfOther, lastOfOther, firstOfSecond, lastOfSecond)).containsExactly(5L, 5L, 5L, 5L);

		TreesumCli.Run there = this.cli.run("prune", "--keep", "1", "--host", this.otherHost);
		assertThat(there.out()).contains("scan " + firstOfOther + ": 5 file rows dropped");
		assertThat(rows(firstOfOther, lastOfOther, firstOfSecond, lastOfSecond)).containsExactly(0L, 5L, 5L, 5L);

		TreesumCli.Run everywhere = this.cli.run("prune", "--keep", "1", "--all-hosts");
		assertThat(everywhere.out()).contains("scan " + firstOfSecond + ": 5 file rows dropped");
		assertThat(rows(firstOfOther, lastOfOther, firstOfSecond, lastOfSecond)).containsExactly(0L, 5L, 0L, 5L);
	}

	@Test
	void restartRefusesAnotherHostsScanTouchingNothingAndResumesItWhenHostNamesIt() throws Exception {
		Path tree = tree("abandoned", 300);
		this.cli.scan(tree("completed", 2).toString());
		long abandoned = killedMidScan(tree);
		List<String> before = snapshot(abandoned);

		TreesumCli.Run byId = this.cli.run("restart", Long.toString(abandoned));
		TreesumCli.Run latest = this.cli.run("restart");

		assertThat(byId.exitCode()).as(byId.toString()).isEqualTo(2);
		assertThat(byId.err()).contains("scan " + abandoned + " belongs to host " + this.otherHost)
			.contains("--host " + this.otherHost);
		assertThat(byId.out()).isEmpty();
		assertThat(latest.exitCode()).as("this host's latest scan completed: " + latest).isEqualTo(2);
		assertThat(latest.err()).doesNotContain("scan " + abandoned + " ");
		assertThat(snapshot(abandoned)).as("the other host's scan, its rows and job executions").isEqualTo(before);

		TreesumCli.Run resumed = this.cli.run("restart", "--host", this.otherHost, Long.toString(abandoned));
		assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
		assertThat(resumed.scanId()).isEqualTo(abandoned);
		assertThat(this.jdbc.queryForObject(
				"select count(distinct path) from treesum_file where scan_id = ? and " + "kind = 'file'", Long.class,
				abandoned))
			.isEqualTo(300);
	}

	/**
	 * Start a slow scan of the other host in a child JVM and kill it once it has
	 * committed some files, leaving its scan claimed by a process that is gone.
	 */
	private long killedMidScan(Path tree) throws Exception {
		Process scan = TreesumProcess
			.against("scan", "--host", this.otherHost, "--treesum.pause-per-file=20ms", "--treesum.chunk-size=20",
					tree.toString())
			.builder(this.temp.resolve("killed.out"), this.temp.resolve("killed.err"))
			.start();
		try {
			long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
			while (System.nanoTime() < deadline && scan.isAlive()) {
				List<Map<String, Object>> rows = this.jdbc.queryForList(
						"select scan_id, files from treesum_scan_status where host = ? order by scan_id desc limit 1",
						this.otherHost);
				if (!rows.isEmpty() && ((Number) rows.get(0).get("files")).longValue() >= 60) {
					assertThat(((Number) rows.get(0).get("files")).longValue()).as("still running").isLessThan(300);
					return ((Number) rows.get(0).get("scan_id")).longValue();
				}
				Thread.sleep(50);
			}
			throw new AssertionError(
					"no files committed; stderr:\n" + Files.readString(this.temp.resolve("killed.err")));
		}
		finally {
			scan.destroyForcibly().waitFor();
		}
	}

	/**
	 * What a refused restart must not change: the scan's row, its job executions and the
	 * number of its file rows.
	 */
	private List<String> snapshot(long scanId) {
		List<String> rows = new ArrayList<>();
		rows.addAll(this.jdbc.queryForList(
				"select concat_ws('|', host, roots_key, owner_machine, owner_pid, owner_started_at, heartbeat_at) "
						+ "from treesum_scan where id = ?",
				String.class, scanId));
		rows.addAll(this.jdbc.queryForList("select concat_ws('|', e.job_execution_id, e.status, e.end_time, "
				+ "e.last_updated) from batch_job_execution e join treesum_scan s on s.job_instance_id = "
				+ "e.job_instance_id where s.id = ? order by e.job_execution_id", String.class, scanId));
		rows.addAll(this.jdbc.queryForList("select concat_ws('|', se.step_execution_id, se.status, se.write_count) "
				+ "from batch_step_execution se join batch_job_execution e on e.job_execution_id = se.job_execution_id "
				+ "join treesum_scan s on s.job_instance_id = e.job_instance_id where s.id = ? "
				+ "order by se.step_execution_id", String.class, scanId));
		rows.add("files "
				+ this.jdbc.queryForObject("select count(*) from treesum_file where scan_id = ?", Long.class, scanId));
		return rows;
	}

	private Path tree(String name, int files) throws IOException {
		Path root = Files.createDirectories(this.temp.resolve(name));
		for (int i = 0; i < files; i++) {
			Files.writeString(root.resolve("f" + i + ".txt"), name + " " + i + " " + this.otherHost + "\n");
		}
		return root;
	}

	private List<List<String>> statusRows(String... args) {
		TreesumCli.Run status = this.cli.run(args);
		assertThat(status.exitCode()).as(status.toString()).isZero();
		return status.out()
			.lines()
			.skip(1)
			.map((line) -> List.of(line.trim().split("\\s+")))
			.filter((row) -> row.get(0).matches("\\d+"))
			.toList();
	}

	/**
	 * Return the roots on the total row of {@code report summary}'s CSV.
	 */
	private String summaryRoot(String... args) {
		TreesumCli.Run report = this.cli.run(args);
		assertThat(report.exitCode()).as(report.toString()).isZero();
		return report.out()
			.lines()
			.filter((line) -> line.startsWith("total,"))
			.map((line) -> line.split(",")[1])
			.findFirst()
			.orElseThrow();
	}

	private List<String> exportedPaths(String... args) {
		TreesumCli.Run export = this.cli.run(args);
		assertThat(export.exitCode()).as(export.toString()).isZero();
		return export.out()
			.lines()
			.skip(1)
			.map((line) -> line.split(",")[0])
			.filter((path) -> path.endsWith(".txt"))
			.toList();
	}

	private List<Long> rows(long... scans) {
		List<Long> rows = new ArrayList<>();
		for (long scan : scans) {
			rows.add(this.jdbc.queryForObject("select count(*) from treesum_file where scan_id = ?", Long.class, scan));
		}
		return rows;
	}

}
