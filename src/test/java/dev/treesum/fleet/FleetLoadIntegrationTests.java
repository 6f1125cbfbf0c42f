package dev.treesum.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twelve hosts, as twelve nodes of a cluster, scan at once into one PostgreSQL server
 * whose {@code max_connections} is 60: every one completes within its connection budget
 * and stores each of its files once. Then four of them are killed halfway through the
 * next night's scan and run again, and each resumes its own scan and nothing else.
 */
class FleetLoadIntegrationTests {

	private static final int HOSTS = 12;

	private static final int KILLED = 4;

	private static final int THREADS = 2;

	private static final int FILES = 400;

	/**
	 * Only a hung process takes this long; twelve JVMs starting at once on two cores take
	 * one.
	 */
	private static final Duration TIMEOUT = Duration.ofMinutes(6);

	@TempDir
	private Path temp;

	@Test
	void twelveHostsScanAtOnceWithinTheirBudgetAndKilledScansResumeAsTheirOwn() throws Exception {
		try (FleetSimulation fleet = FleetSimulation.start(this.temp, 60)) {
			Map<String, Path> trees = new LinkedHashMap<>();
			for (int i = 1; i <= HOSTS; i++) {
				trees.put(FleetSimulation.host(i), fleet.tree(FleetSimulation.host(i), FILES));
			}

			long started = System.nanoTime();
			List<FleetSimulation.Run> night = new ArrayList<>();
			for (Map.Entry<String, Path> host : trees.entrySet()) {
				night.add(fleet.start(host.getKey(), scan(host.getKey(), host.getValue())));
			}
			Map<String, Long> firstScans = new LinkedHashMap<>();
			for (FleetSimulation.Run run : night) {
				assertThat(run.await(TIMEOUT)).as(run.toString()).isZero();
				firstScans.put(host(run), run.completedScan());
			}

			Duration firstNight = Duration.ofNanos(System.nanoTime() - started);
			int firstNightPeak = fleet.peakTotal();
			assertThat(firstScans.values()).doesNotHaveDuplicates();
			for (Map.Entry<String, Long> scan : firstScans.entrySet()) {
				assertStoredOnce(fleet, scan.getKey(), scan.getValue());
			}
			assertWithinBudget(fleet, night, THREADS + 2);
			assertThat(fleet.peakTotal()).as("connections of the whole fleet at once")
				.isLessThanOrEqualTo(HOSTS * (THREADS + 2))
				.isLessThan(60);
			List<String> untouched = snapshot(fleet, firstScans.values().stream().skip(KILLED).toList());

			List<String> killedHosts = List.copyOf(trees.keySet()).subList(0, KILLED);
			Map<String, Long> killedScans = new LinkedHashMap<>();
			List<FleetSimulation.Run> slow = new ArrayList<>();
			for (String host : killedHosts) {
				slow.add(fleet.start(host + "-killed",
						scan(host, trees.get(host), "--treesum.pause-per-file=25ms", "--treesum.chunk-size=40")));
			}
			for (FleetSimulation.Run run : slow) {
				String host = host(run);
				long scanId = awaitCommittedFiles(fleet, run, host, firstScans.get(host), 120);
				run.process().destroyForcibly().waitFor();
				killedScans.put(host, scanId);
			}
			assertThat(killedScans.values()).doesNotContainAnyElementsOf(firstScans.values());

			List<FleetSimulation.Run> reruns = new ArrayList<>();
			for (String host : killedHosts) {
				reruns.add(fleet.start(host + "-rerun", scan(host, trees.get(host))));
			}
			// Commands that do not scan, meanwhile: the fleet-wide report a shared
			// database
			// is for.
			FleetSimulation.Run duplicates = fleet.start("report", "report", "duplicates", "--all-hosts", "--format",
					"csv");
			for (FleetSimulation.Run run : reruns) {
				assertThat(run.await(TIMEOUT)).as(run.toString()).isZero();
				assertThat(run.completedScan()).as("the scan the killed process left")
					.isEqualTo(killedScans.get(host(run)));
				assertThat(run.err()).contains("Resuming scan " + killedScans.get(host(run)));
			}
			assertThat(duplicates.await(TIMEOUT)).as(duplicates.toString()).isZero();

			for (Map.Entry<String, Long> scan : killedScans.entrySet()) {
				assertStoredOnce(fleet, scan.getKey(), scan.getValue());
				assertThat(fleet.count("select attempts from treesum_scan_status where scan_id = ?", scan.getValue()))
					.as("killed, then resumed")
					.isEqualTo(2);
			}
			assertThat(snapshot(fleet, firstScans.values().stream().skip(KILLED).toList())).as("the other hosts' scans")
				.isEqualTo(untouched);
			assertThat(fleet.count("select count(*) from treesum_scan")).isEqualTo(HOSTS + KILLED);
			assertWithinBudget(fleet, reruns, THREADS + 2);
			assertWithinBudget(fleet, List.of(duplicates), 2);
			assertThat(duplicates.out().lines().filter((line) -> line.endsWith("/shared.txt")))
				.as("the file every host has, once per host")
				.hasSize(HOSTS);
			// For the record, in the test's output: what the fleet held.
			System.out.printf(
					"%d hosts at once: %s, peak %d connections in all, per process %s; killed and "
							+ "resumed: %s in all%n",
					HOSTS, firstNight, firstNightPeak, fleet.peaks(), Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private static String[] scan(String host, Path tree, String... extra) {
		List<String> args = new ArrayList<>(
				List.of("scan", "--host", host, "--threads", Integer.toString(THREADS), tree.toString()));
		args.addAll(List.of(extra));
		return args.toArray(String[]::new);
	}

	private static String host(FleetSimulation.Run run) {
		return run.application().substring("fleet-".length(), "fleet-".length() + "node-00".length());
	}

	/**
	 * Each scan stored every file of its host's tree once: as many rows as the tree has
	 * entries, every path distinct, and all of them under the host's own tree.
	 */
	private static void assertStoredOnce(FleetSimulation fleet, String host, long scanId) throws Exception {
		assertThat(fleet.rows("select host, state from treesum_scan_status where scan_id = ?", scanId))
			.containsExactly(host + "|COMPLETED");
		long files = fleet.count("select count(*) from treesum_file where scan_id = ? and kind = 'file'", scanId);
		long paths = fleet.count("select count(distinct path) from treesum_file where scan_id = ? and kind = 'file'",
				scanId);
		long elsewhere = fleet.count(
				"select count(*) from treesum_file where scan_id = ? and path_text not like '%/trees/' || ? || '%'",
				scanId, host);
		assertThat(List.of(files, paths, elsewhere)).as("files, distinct paths, paths not in %s's tree", host)
			.containsExactly((long) FILES, (long) FILES, 0L);
	}

	private static void assertWithinBudget(FleetSimulation fleet, List<FleetSimulation.Run> runs, int budget) {
		Map<String, Integer> peaks = fleet.peaks();
		assertThat(fleet.samples()).isPositive();
		for (FleetSimulation.Run run : runs) {
			assertThat(peaks.get(run.application()))
				.as("most connections %s held at once (budget %d)", run.application(), budget)
				.isNotNull()
				.isBetween(1, budget);
		}
	}

	/**
	 * What a later run must not change about scans: state, attempts, totals, job
	 * executions and rows.
	 */
	private static List<String> snapshot(FleetSimulation fleet, List<Long> scans) throws Exception {
		List<String> rows = new ArrayList<>();
		for (long scanId : scans) {
			rows.addAll(fleet.rows("select scan_id, host, state, attempts, partitions_done, files, bytes, errors, "
					+ "ended_at, heartbeat_at from treesum_scan_status where scan_id = ?", scanId));
			rows.addAll(fleet.rows(
					"select e.job_execution_id, e.status, e.last_updated from batch_job_execution e "
							+ "join treesum_scan s on s.job_instance_id = e.job_instance_id where s.id = ? order by 1",
					scanId));
			rows.add(Long.toString(fleet.count("select count(*) from treesum_file where scan_id = ?", scanId)));
		}
		return rows;
	}

	/**
	 * Wait until a host's scan after the given one has committed some files, and return
	 * its id.
	 */
	private static long awaitCommittedFiles(FleetSimulation fleet, FleetSimulation.Run run, String host, long after,
			long files) throws Exception {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline && run.process().isAlive()) {
			List<String> newest = fleet.rows("select scan_id, files from treesum_scan_status where host = ? "
					+ "and scan_id > ? order by scan_id desc limit 1", host, after);
			String[] columns = newest.isEmpty() ? new String[0] : newest.get(0).split("\\|");
			if (columns.length == 2 && Long.parseLong(columns[1]) >= files) {
				assertThat(Long.parseLong(columns[1])).as("still running when killed").isLessThan(FILES);
				return Long.parseLong(columns[0]);
			}
			Thread.sleep(50);
		}
		throw new AssertionError("no files committed while it ran: " + run);
	}

}
