package dev.treesum.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fleet costs the database: the hosts of {@link FleetLoadIntegrationTests}, then
 * fifty, each scanning a tree of its own into a server of its own at the same moment, as
 * nodes whose CronJobs fire together do. With {@code -Dbenchmark.baseline=JAR}, the first
 * two columns are twelve hosts of that build and of this one against a server with
 * {@code max_connections} 60, the peer it is measured against. It prints, side by side,
 * the most connections held at once (in all, and by one process against its budget of
 * {@code --threads} + 2), the wall time from the first start to the last exit, and the
 * rows the database committed per second of it and of the scanning itself (first scan
 * start to last scan end, without the JVMs' start). It asserts nothing. Run it by name:
 *
 * <pre>
 * ./mvnw -B test -Dtest=FleetLoadBenchmark
 * </pre>
 *
 * The figures go to standard output and to {@code target/fleet-benchmark.txt}.
 * Properties: {@code benchmark.hosts} (12,50), {@code benchmark.files} per host (2000),
 * {@code benchmark.threads} (2), {@code benchmark.baseline} (a jar of another build).
 */
class FleetLoadBenchmark {

	private static final Path REPORT = Path.of("target", "fleet-benchmark.txt");

	@TempDir
	private Path temp;

	@Test
	void connectionsWallTimeAndRowsPerSecondAsTheFleetGrows() throws Exception {
		int files = Integer.getInteger("benchmark.files", 2000);
		int threads = Integer.getInteger("benchmark.threads", 2);
		List<Round> rounds = new ArrayList<>();
		String baseline = System.getProperty("benchmark.baseline");
		if (baseline != null && !baseline.isBlank()) {
			rounds.add(round("baseline", Path.of(baseline), 12, 60, files, threads));
			rounds.add(round("this build", null, 12, 60, files, threads));
		}
		for (String hosts : System.getProperty("benchmark.hosts", "12,50").split(",")) {
			if (hosts.isBlank()) {
				continue;
			}
			int count = Integer.parseInt(hosts.trim());
			rounds.add(round("this build", null, count, count * (threads + 2) + 10, files, threads));
		}
		List<String> lines = new ArrayList<>();
		lines.add(String.format(Locale.ROOT, "fleet: %,d files per host, --threads %d, budget %d connections per scan",
				files, threads, threads + 2));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "build", column(rounds, Round::build)));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "hosts scanning at once",
				column(rounds, (round) -> Integer.toString(round.hosts))));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "completed", column(rounds, (round) -> round.completed + "")));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "server max_connections",
				column(rounds, (round) -> Integer.toString(round.maxConnections))));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "peak connections, whole fleet",
				column(rounds, (round) -> Integer.toString(round.peakTotal))));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "peak connections, one process (max/median)",
				column(rounds, (round) -> round.peakMax + " / " + round.peakMedian)));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "wall time, first start to last exit",
				column(rounds, (round) -> String.format(Locale.ROOT, "%.1f s", round.wall.toMillis() / 1000.0))));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "scanning, first scan start to last scan end",
				column(rounds, (round) -> String.format(Locale.ROOT, "%.1f s", round.scanning.toMillis() / 1000.0))));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "rows committed",
				column(rounds, (round) -> String.format(Locale.ROOT, "%,d", round.rows))));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "rows/s at the database, wall time", column(rounds,
				(round) -> String.format(Locale.ROOT, "%,.0f", round.rows * 1000.0 / round.wall.toMillis()))));
		lines.add(String.format(Locale.ROOT, "%-44s%s", "rows/s at the database, scanning", column(rounds,
				(round) -> String.format(Locale.ROOT, "%,.0f", round.rows * 1000.0 / round.scanning.toMillis()))));
		Files.createDirectories(REPORT.getParent());
		Files.writeString(REPORT, "");
		for (String line : lines) {
			System.out.println(line);
			Files.writeString(REPORT, line + "\n", StandardOpenOption.APPEND);
		}
	}

	private Round round(String build, Path jar, int hosts, int maxConnections, int files, int threads)
			throws Exception {
		Path work = Files
			.createDirectories(this.temp.resolve(build.replace(' ', '-') + "-" + hosts + "-hosts-" + maxConnections));
		try (FleetSimulation fleet = FleetSimulation.start(work, maxConnections)) {
			List<Path> trees = new ArrayList<>();
			for (int i = 1; i <= hosts; i++) {
				trees.add(fleet.tree(FleetSimulation.host(i), files));
			}
			long started = System.nanoTime();
			List<FleetSimulation.Run> runs = new ArrayList<>();
			for (int i = 1; i <= hosts; i++) {
				runs.add(fleet.start(jar, FleetSimulation.host(i), "scan", "--host", FleetSimulation.host(i),
						"--threads", Integer.toString(threads), trees.get(i - 1).toString()));
			}
			int completed = 0;
			String failure = "";
			for (FleetSimulation.Run run : runs) {
				if (run.await(Duration.ofMinutes(30)) == 0) {
					completed++;
				}
				else if (failure.isEmpty()) {
					failure = run.err()
						.lines()
						.filter((line) -> !line.isBlank())
						.reduce((first, last) -> last)
						.orElse("");
				}
			}
			if (!failure.isEmpty()) {
				System.out.println(build + ", " + hosts + " hosts: a failed run ended with: " + failure);
			}
			Duration wall = Duration.ofNanos(System.nanoTime() - started);
			List<Integer> peaks = new ArrayList<>(fleet.peaks().values());
			if (peaks.isEmpty()) {
				peaks.add(0);
			}
			Collections.sort(peaks);
			// A fleet of which no host got as far as its schema has no rows to count.
			long rows = countOrZero(fleet, "select count(*) from treesum_file");
			long scanningMillis = countOrZero(fleet,
					"select coalesce(extract(epoch from max(ended_at) - min(started_at)) "
							+ "* 1000, 0)::bigint from treesum_scan_status where state = 'COMPLETED'");
			Duration scanning = Duration.ofMillis(Math.max(1, scanningMillis));
			return new Round(build, hosts, completed + "/" + hosts, maxConnections, fleet.peakTotal(),
					peaks.get(peaks.size() - 1), peaks.get(peaks.size() / 2), wall, scanning, rows);
		}
	}

	private static long countOrZero(FleetSimulation fleet, String sql) {
		try {
			return fleet.count(sql);
		}
		catch (SQLException ex) {
			return 0;
		}
	}

	private static String column(List<Round> rounds, Function<Round, String> value) {
		StringBuilder columns = new StringBuilder();
		for (Round round : rounds) {
			columns.append(String.format(Locale.ROOT, "%16s", value.apply(round)));
		}
		return columns.toString();
	}

	private record Round(String build, int hosts, String completed, int maxConnections, int peakTotal, int peakMax,
			int peakMedian, Duration wall, Duration scanning, long rows) {
	}

}
