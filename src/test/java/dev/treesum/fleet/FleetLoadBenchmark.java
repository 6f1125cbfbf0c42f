package dev.treesum.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
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
 * nodes whose CronJobs fire together do. It prints, side by side, the most connections
 * held at once (in all, and by one process against its budget of {@code --threads} + 2),
 * the wall time from the first start to the last exit, and the rows the database
 * committed per second of it and of the scanning itself (first scan start to last scan
 * end, without the JVMs' start). It asserts nothing. Run it by name:
 *
 * <pre>
 * ./mvnw -B test -Dtest=FleetLoadBenchmark
 * </pre>
 *
 * The figures go to standard output and to {@code target/fleet-benchmark.txt}.
 * Properties: {@code benchmark.hosts} (12,50), {@code benchmark.files} per host (2000),
 * {@code benchmark.threads} (2).
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
		for (String hosts : System.getProperty("benchmark.hosts", "12,50").split(",")) {
			rounds.add(round(Integer.parseInt(hosts.trim()), files, threads));
		}
		List<String> lines = new ArrayList<>();
		lines.add(String.format(Locale.ROOT, "fleet: %,d files per host, --threads %d, budget %d connections per scan",
				files, threads, threads + 2));
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

	private Round round(int hosts, int files, int threads) throws Exception {
		int maxConnections = hosts * (threads + 2) + 10;
		Path work = Files.createDirectories(this.temp.resolve(hosts + "-hosts"));
		try (FleetSimulation fleet = FleetSimulation.start(work, maxConnections)) {
			List<Path> trees = new ArrayList<>();
			for (int i = 1; i <= hosts; i++) {
				trees.add(fleet.tree(FleetSimulation.host(i), files));
			}
			long started = System.nanoTime();
			List<FleetSimulation.Run> runs = new ArrayList<>();
			for (int i = 1; i <= hosts; i++) {
				runs.add(fleet.start(FleetSimulation.host(i), "scan", "--host", FleetSimulation.host(i), "--threads",
						Integer.toString(threads), trees.get(i - 1).toString()));
			}
			int completed = 0;
			for (FleetSimulation.Run run : runs) {
				completed += (run.await(Duration.ofMinutes(30)) == 0) ? 1 : 0;
			}
			Duration wall = Duration.ofNanos(System.nanoTime() - started);
			List<Integer> peaks = new ArrayList<>(fleet.peaks().values());
			Collections.sort(peaks);
			long rows = fleet.count("select count(*) from treesum_file");
			List<String> window = fleet
				.rows("select min(started_at), max(ended_at) from treesum_scan_status where state = 'COMPLETED'");
			String[] bounds = window.get(0).split("\\|");
			Duration scanning = Duration.between(Timestamp.valueOf(bounds[0]).toInstant(),
					Timestamp.valueOf(bounds[1]).toInstant());
			return new Round(hosts, completed + "/" + hosts, maxConnections, fleet.peakTotal(),
					peaks.get(peaks.size() - 1), peaks.get(peaks.size() / 2), wall, scanning, rows);
		}
	}

	private static String column(List<Round> rounds, Function<Round, String> value) {
		StringBuilder columns = new StringBuilder();
		for (Round round : rounds) {
			columns.append(String.format(Locale.ROOT, "%16s", value.apply(round)));
		}
		return columns.toString();
	}

	private record Round(int hosts, String completed, int maxConnections, int peakTotal, int peakMax, int peakMedian,
			Duration wall, Duration scanning, long rows) {
	}

}
