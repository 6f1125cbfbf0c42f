package dev.treesum.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.treesum.Sizes;
import dev.treesum.TestDatabase;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import dev.treesum.hash.FileHasher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Measures what a scan costs, end to end, as a user runs it: a child JVM under
 * {@code -Xmx256m} scanning generated trees into the test PostgreSQL, with the figures of
 * each partition read back from the job repository. It prints figures and PASS or MISS
 * against the targets; a miss never fails the build. Run it by name:
 *
 * <pre>
 * ./mvnw -B test -Dtest=ScanBenchmark
 * </pre>
 *
 * The report goes to standard output (which Surefire keeps in
 * {@code target/surefire-reports/dev.treesum.scan.ScanBenchmark-output.txt}) and to
 * {@code target/scan-benchmark.txt}. Properties, all optional:
 * <ul>
 * <li>{@code benchmark.dir}: where the trees go; kept and reused by later runs (default:
 * a temporary directory, deleted afterwards)</li>
 * <li>{@code benchmark.large.roots} (2), {@code benchmark.large.files} per root (4),
 * {@code benchmark.large.size} per file (1g: enough for the child's JIT warm-up to weigh
 * little; shrunk to what the disk and the page cache hold);
 * {@code benchmark.large.roots=0} skips them</li>
 * <li>{@code benchmark.small.roots} (2), {@code benchmark.small.files} in all (200000),
 * {@code benchmark.small.max-size} (8k), {@code benchmark.small.per-directory} (100);
 * {@code benchmark.small.files=0} skips them</li>
 * <li>{@code benchmark.algorithm} (sha256), {@code benchmark.runs} scans of each tree
 * (1), {@code benchmark.threads} (one per root), {@code benchmark.chunk-size} (the
 * default), {@code benchmark.io-concurrency} (treesum's default), {@code benchmark.c1}
 * (false: the child runs with the full JIT, as {@code java -jar} does)</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScanBenchmark {

	private static final double DIGEST_TARGET = 0.90;

	private static final double SMALL_FILES_TARGET = 10_000;

	private static final long MIB = 1024 * 1024;

	/**
	 * The buffer treesum reads with, so that the reference loop is the scan without the
	 * scan.
	 */
	private static final int REFERENCE_BUFFER = FileHasher.DEFAULT_BUFFER_SIZE;

	private static final Pattern COMPLETED = Pattern.compile("^scan (\\d+) completed: .*$", Pattern.MULTILINE);

	private static final Path REPORT = Path.of("target", "scan-benchmark.txt");

	private static Path base;

	private static boolean temporary;

	@BeforeAll
	static void prepare() throws IOException {
		Files.createDirectories(REPORT.getParent());
		Files.writeString(REPORT, "");
		String dir = System.getProperty("benchmark.dir");
		temporary = dir == null || dir.isBlank();
		base = temporary ? Files.createTempDirectory("treesum-benchmark") : Path.of(dir).toAbsolutePath();
		Files.createDirectories(base);
		print("treesum scan benchmark, %s", LocalDateTime.now().withNano(0));
		print("machine: %d processors, %s, load average %s", Runtime.getRuntime().availableProcessors(), cpuModel(),
				loadAverage());
		print("trees under %s (%s free)%s", base, Sizes.bytes(base.toFile().getUsableSpace()),
				temporary ? ", deleted afterwards" : ", kept for the next run");
		print("database: %s", TestDatabase.url().replaceAll("password=[^&]*", "password=..."));
	}

	@AfterAll
	static void cleanUp() throws IOException {
		print("");
		print("load average at the end: %s", loadAverage());
		if (temporary && base != null) {
			deleteTree(base);
		}
	}

	@Test
	@Order(1)
	void largeFiles() throws Exception {
		int roots = intProperty("benchmark.large.roots", 2);
		int perRoot = intProperty("benchmark.large.files", 4);
		long size = sizeProperty("benchmark.large.size", "1g");
		if (roots <= 0 || perRoot <= 0 || size <= 0) {
			return;
		}
		print("");
		print("== Large files ==");
		long wanted = roots * perRoot * size;
		long fit = Math.min(base.toFile().getUsableSpace() - 2048 * MIB, memAvailable() * 6 / 10);
		while (roots * perRoot * size > fit && size > 16 * MIB) {
			size /= 2;
		}
		if (roots * perRoot * size < wanted) {
			print("NOTE: %s would not fit on the disk or in the page cache; files shrunk to %s", Sizes.bytes(wanted),
					Sizes.bytes(size));
		}
		Path tree = base.resolve("large-" + roots + "x" + perRoot + "x" + size);
		List<Path> rootPaths = roots(tree, roots);
		long started = System.nanoTime();
		if (reuse(tree)) {
			print("reusing %s", tree);
		}
		else {
			deleteTree(tree);
			for (int r = 0; r < roots; r++) {
				for (int f = 0; f < perRoot; f++) {
					writeLargeFile(rootPaths.get(r).resolve("file-" + f + ".bin"), size, r * 1000L + f);
				}
			}
			done(tree);
			print("generated %d roots x %d files x %s in %.1f s", roots, perRoot, Sizes.bytes(size), seconds(started));
		}
		List<Path> files = new ArrayList<>();
		for (Path root : rootPaths) {
			files.addAll(listFiles(root));
		}
		long bytes = warm(files);
		String algorithm = System.getProperty("benchmark.algorithm", "sha256");
		String jdkName = jdkDigestName(algorithm);
		int threads = intProperty("benchmark.threads", roots);

		Reference before = reference(jdkName, files);
		print("single thread, before the scans: %s", before);
		double concurrent = concurrentDigest(jdkName, threads);
		print("  %s alone in %d threads at once: %.0f MB/s per thread (what a busy machine leaves each core)",
				algorithm, threads, concurrent);

		List<Scan> scans = new ArrayList<>();
		for (int run = 1; run <= intProperty("benchmark.runs", 1); run++) {
			scans.add(scan(rootPaths, algorithm, threads, Duration.ofMinutes(30)));
		}

		Reference after = reference(jdkName, files);
		print("single thread, after the scans:  %s", after);
		Reference best = before.max(after);
		print("reference (the better of the two): %s alone %.0f MB/s; read-and-digest loop %.0f MB/s; "
				+ "reading alone %.0f MB/s, so one thread that reads and then digests cannot pass %.0f MB/s "
				+ "= %.0f %% of the digest alone", algorithm, best.digestMbs, best.loopMbs, best.readMbs,
				best.ceilingMbs(), 100 * best.ceilingMbs() / best.digestMbs);
		for (Scan scan : scans) {
			print("");
			scan.print();
			for (PartitionFigures partition : scan.partitions) {
				double ratio = partition.mbs() / best.digestMbs;
				double loopRatio = partition.mbs() / best.loopMbs;
				print("  %s: %.0f MB/s = %.1f %% of the %s digest alone: %s; %.1f %% of the read-and-digest loop: %s",
						partition.name, partition.mbs(), 100 * ratio, algorithm, verdict(ratio >= DIGEST_TARGET),
						100 * loopRatio, verdict(loopRatio >= DIGEST_TARGET));
				if (!Double.isNaN(partition.cpuSeconds)) {
					double perCpu = partition.bytes / 1e6 / partition.cpuSeconds;
					print("    per CPU second of its thread (what it would do on a core of its own): %.0f MB = %.1f %% "
							+ "of the digest alone", perCpu, 100 * perCpu / best.digestMbs);
				}
			}
			double atOnce = scan.partitionsAtOnce();
			print("  whole scan: %.0f MB/s = %.0f %% of %.1f x the digest alone (%.1f partitions at a time on average; "
					+ "partitions on one disk take turns)", scan.jobMbs(),
					100 * scan.jobMbs() / (atOnce * best.digestMbs), atOnce, atOnce);
			print("  target: large cached files hashed at >= %.0f %% of the single-thread digest speed, per partition",
					100 * DIGEST_TARGET);
		}
		print("bytes per scan: %s", Sizes.bytes(bytes));
	}

	@Test
	@Order(2)
	void smallFiles() throws Exception {
		int roots = intProperty("benchmark.small.roots", 2);
		int count = intProperty("benchmark.small.files", 200_000);
		int maxSize = (int) sizeProperty("benchmark.small.max-size", "8k");
		int perDirectory = intProperty("benchmark.small.per-directory", 100);
		if (roots <= 0 || count <= 0) {
			return;
		}
		print("");
		print("== Small files ==");
		Path tree = base.resolve("small-" + roots + "x" + count + "x" + maxSize + "x" + perDirectory);
		List<Path> rootPaths = roots(tree, roots);
		long started = System.nanoTime();
		if (reuse(tree)) {
			print("reusing %s", tree);
		}
		else {
			deleteTree(tree);
			writeSmallFiles(rootPaths, count, maxSize, perDirectory);
			TestTrees.sh("sync");
			done(tree);
			print("generated %,d files of 0 to %s over %d roots, %d per directory, in %.1f s", count,
					Sizes.bytes(maxSize), roots, perDirectory, seconds(started));
		}
		List<Path> files = new ArrayList<>();
		for (Path root : rootPaths) {
			files.addAll(listFiles(root));
		}
		long bytes = warm(files);
		print("%,d files, %s, read once to warm the page cache", files.size(), Sizes.bytes(bytes));
		String algorithm = System.getProperty("benchmark.algorithm", "sha256");
		int threads = intProperty("benchmark.threads", roots);
		for (int run = 1; run <= intProperty("benchmark.runs", 1); run++) {
			Scan scan = scan(rootPaths, algorithm, threads, Duration.ofMinutes(60));
			print("");
			scan.print();
			for (PartitionFigures partition : scan.partitions) {
				print("  %s: %,.0f files/s end to end into PostgreSQL: %s", partition.name, partition.filesPerSecond(),
						verdict(partition.filesPerSecond() >= SMALL_FILES_TARGET));
			}
			boolean complete = scan.exitCode == 0 && scan.hashedRows == files.size();
			print("  %,d files under -Xmx256m: exit %d, %,d of %,d files stored with a digest: %s", files.size(),
					scan.exitCode, scan.hashedRows, files.size(), verdict(complete && files.size() >= 200_000));
			print("  targets: >= %,.0f files/s per partition; a scan of >= 200,000 files completes under -Xmx256m",
					SMALL_FILES_TARGET);
		}
	}

	// ---- the scan, in a child JVM

	private Scan scan(List<Path> roots, String algorithm, int threads, Duration timeout) throws Exception {
		List<String> arguments = new ArrayList<>(
				List.of("scan", "--threads", String.valueOf(threads), "--algorithm", algorithm, "--host", "benchmark"));
		String ioConcurrency = System.getProperty("benchmark.io-concurrency");
		if (ioConcurrency != null && !ioConcurrency.isBlank()) {
			arguments.addAll(List.of("--io-concurrency", ioConcurrency));
		}
		roots.forEach((root) -> arguments.add(root.toString()));
		TreesumProcess process = TreesumProcess.against(arguments.toArray(String[]::new));
		String chunkSize = System.getProperty("benchmark.chunk-size");
		if (chunkSize != null && !chunkSize.isBlank()) {
			process.env("TREESUM_CHUNK_SIZE", chunkSize);
		}
		if (!TestDatabase.url().contains("user=")) {
			process.env("SPRING_DATASOURCE_USERNAME", "postgres");
		}
		Path stdout = Files.createTempFile("treesum-benchmark-out", ".txt");
		Path stderr = Files.createTempFile("treesum-benchmark-err", ".txt");
		try {
			ProcessBuilder builder = process.builder(stdout, stderr);
			if (!Boolean.getBoolean("benchmark.c1")) {
				// Tests cap the child's JIT at C1 to start fast; java -jar does not, and
				// digests need C2's intrinsics.
				builder.command().remove("-XX:TieredStopAtLevel=1");
			}
			List<String> jvmOptions = builder.command().stream().filter((option) -> option.startsWith("-X")).toList();
			long started = System.nanoTime();
			Process child = builder.start();
			ThreadCpu cpu = new ThreadCpu(child);
			Thread sampler = new Thread(cpu, "cpu-sampler");
			sampler.start();
			if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				child.destroyForcibly().waitFor();
				throw new AssertionError("the scan did not end within " + timeout);
			}
			double wall = seconds(started);
			sampler.join();
			String out = Files.readString(stdout, StandardCharsets.UTF_8);
			String err = Files.readString(stderr, StandardCharsets.UTF_8);
			Scan scan = new Scan(child.exitValue(), wall, jvmOptions, out.strip(), err, loadAverage());
			Matcher matcher = COMPLETED.matcher(out);
			if (matcher.find()) {
				scan.load(Long.parseLong(matcher.group(1)), cpu.byPartition(err));
			}
			return scan;
		}
		finally {
			Files.deleteIfExists(stdout);
			Files.deleteIfExists(stderr);
		}
	}

	private static Connection connect() throws SQLException {
		Properties properties = new Properties();
		if (!TestDatabase.url().contains("user=")) {
			properties.setProperty("user", "postgres");
		}
		return DriverManager.getConnection(TestDatabase.url(), properties);
	}

	private static final class Scan {

		final int exitCode;

		final double wallSeconds;

		final List<String> jvmOptions;

		final String summary;

		final String log;

		final List<PartitionFigures> partitions = new ArrayList<>();

		long scanId = -1;

		double jobSeconds = Double.NaN;

		long files;

		long bytes;

		long hashedRows;

		final String load;

		Scan(int exitCode, double wallSeconds, List<String> jvmOptions, String summary, String log, String load) {
			this.load = load;
			this.exitCode = exitCode;
			this.wallSeconds = wallSeconds;
			this.jvmOptions = jvmOptions;
			this.summary = summary;
			this.log = log;
		}

		void load(long id, Map<String, Double> cpuSeconds) throws SQLException {
			this.scanId = id;
			try (Connection connection = connect()) {
				try (PreparedStatement statement = connection
					.prepareStatement("select tp.name, tp.root, tp.files, tp.bytes, tp.errors, se.start_time, "
							+ "se.end_time, se.write_count, se.commit_count, se.status from treesum_scan s "
							+ "join treesum_partition tp on tp.scan_id = s.id "
							+ "join batch_job_execution je on je.job_instance_id = s.job_instance_id "
							+ "join batch_step_execution se on se.job_execution_id = je.job_execution_id "
							+ "and se.step_name = 'mountStep:' || tp.name where s.id = ? "
							+ "order by tp.name, se.step_execution_id")) {
					statement.setLong(1, id);
					try (ResultSet rows = statement.executeQuery()) {
						while (rows.next()) {
							this.partitions.add(new PartitionFigures(rows.getString(1), rows.getString(2),
									rows.getLong(3), rows.getLong(4), rows.getLong(5),
									between(rows.getTimestamp(6), rows.getTimestamp(7)), rows.getLong(8),
									rows.getLong(9), rows.getString(10),
									cpuSeconds.getOrDefault(rows.getString(1), Double.NaN)));
						}
					}
				}
				try (PreparedStatement statement = connection.prepareStatement(
						"select min(je.start_time), max(je.end_time) from treesum_scan s join batch_job_execution je "
								+ "on je.job_instance_id = s.job_instance_id where s.id = ?")) {
					statement.setLong(1, id);
					try (ResultSet rows = statement.executeQuery()) {
						rows.next();
						this.jobSeconds = between(rows.getTimestamp(1), rows.getTimestamp(2));
					}
				}
				try (PreparedStatement statement = connection
					.prepareStatement("select count(*), count(*) filter (where kind = 'file' and status = 'ok' "
							+ "and digest is not null), coalesce(sum(size) filter (where kind = 'file'), 0) "
							+ "from treesum_file where scan_id = ?")) {
					statement.setLong(1, id);
					try (ResultSet rows = statement.executeQuery()) {
						rows.next();
						this.files = rows.getLong(1);
						this.hashedRows = rows.getLong(2);
						this.bytes = rows.getLong(3);
					}
				}
			}
		}

		/** The partitions' time over the job's: how many ran at once, on average. */
		double partitionsAtOnce() {
			return this.partitions.stream().mapToDouble(PartitionFigures::seconds).sum() / this.jobSeconds;
		}

		double jobMbs() {
			return this.bytes / 1e6 / this.jobSeconds;
		}

		void print() {
			ScanBenchmark.print("scan %d: exit %d; %s", this.scanId, this.exitCode, this.summary);
			ScanBenchmark.print("  child JVM %s; load average when it ended %s", String.join(" ", this.jvmOptions),
					this.load);
			if (this.exitCode != 0 || this.scanId < 0) {
				String[] lines = this.log.strip().split("\n");
				for (int i = Math.max(0, lines.length - 15); i < lines.length; i++) {
					ScanBenchmark.print("  | %s", lines[i]);
				}
				return;
			}
			for (PartitionFigures partition : this.partitions) {
				ScanBenchmark.print(
						"  %s %s: %s, %,d files (%,d written, %,d commits), %,d errors in %.2f s: "
								+ "%,.0f files/s, %.1f MB/s",
						partition.name, partition.status, partition.root, partition.files, partition.writeCount,
						partition.commits, partition.errors, partition.seconds, partition.filesPerSecond(),
						partition.mbs());
				if (!Double.isNaN(partition.cpuSeconds)) {
					ScanBenchmark.print(
							"    its thread used %.2f s of CPU (%.0f %% of its time): %,.0f files and %.1f MB "
									+ "per CPU second",
							partition.cpuSeconds, 100 * partition.cpuSeconds / partition.seconds,
							partition.writeCount / partition.cpuSeconds, partition.bytes / 1e6 / partition.cpuSeconds);
				}
			}
			ScanBenchmark.print("  whole scan: %,d files, %s in %.2f s from job start to end: %,.0f files/s, %.1f MB/s",
					this.files, Sizes.bytes(this.bytes), this.jobSeconds, this.files / this.jobSeconds, jobMbs());
			ScanBenchmark.print(
					"  whole process (JVM start, database migration, job, exit): %.2f s: %,.0f files/s, " + "%.1f MB/s",
					this.wallSeconds, this.files / this.wallSeconds, this.bytes / 1e6 / this.wallSeconds);
		}

	}

	/**
	 * What the job repository says of one partition, and the CPU time of the thread that
	 * ran it.
	 */
	private record PartitionFigures(String name, String root, long files, long bytes, long errors, double seconds,
			long writeCount, long commits, String status, double cpuSeconds) {

		double filesPerSecond() {
			return this.writeCount / this.seconds;
		}

		double mbs() {
			return this.bytes / 1e6 / this.seconds;
		}

	}

	/**
	 * Samples the CPU time of the child's partition threads from {@code /proc} while it
	 * runs, so that a busy machine can be told apart from a slow scan. A partition's CPU
	 * time is what its worker thread used between the partition's first and last log
	 * lines, plus all that its own I/O threads ({@code partition-N-io-M}) used.
	 */
	private static final class ThreadCpu implements Runnable {

		/** Time, level, thread and partition of a partition's log lines. */
		private static final Pattern LINE = Pattern
			.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\s+\\S+\\s+(\\S+)\\s+(partition-\\d+) ", Pattern.MULTILINE);

		private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

		/** Linux's USER_HZ, the unit of the times in {@code /proc/PID/task/TID/stat}. */
		private static final double TICKS_PER_SECOND = 100;

		private final Process process;

		private final Map<Long, String> names = new ConcurrentHashMap<>();

		private final List<Sample> samples = new CopyOnWriteArrayList<>();

		ThreadCpu(Process process) {
			this.process = process;
		}

		@Override
		public void run() {
			Path tasks = Path.of("/proc", Long.toString(this.process.pid()), "task");
			while (this.process.isAlive()) {
				Map<Long, Long> ticks = new HashMap<>();
				try (DirectoryStream<Path> stream = Files.newDirectoryStream(tasks)) {
					for (Path task : stream) {
						sample(task, ticks);
					}
				}
				catch (IOException | UncheckedIOException ex) {
					// the process is ending
				}
				this.samples.add(new Sample(System.currentTimeMillis(), ticks));
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		private void sample(Path task, Map<Long, Long> ticks) {
			try {
				String name = Files.readString(task.resolve("comm")).strip();
				if (!name.startsWith("partition-")) {
					return;
				}
				String stat = Files.readString(task.resolve("stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				// utime and stime, fields 14 and 15 of stat; fields[0] is field 3
				long tid = Long.parseLong(task.getFileName().toString());
				this.names.put(tid, name);
				ticks.put(tid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
			}
			catch (IOException | RuntimeException ex) {
				// the thread ended
			}
		}

		/**
		 * Return the CPU seconds of each partition, by the thread names and times of its
		 * log lines.
		 */
		Map<String, Double> byPartition(String log) {
			Map<String, String> workers = new HashMap<>();
			Map<String, long[]> windows = new HashMap<>();
			LocalDate today = LocalDate.now();
			Matcher matcher = LINE.matcher(log);
			while (matcher.find()) {
				long millis = today.atTime(LocalTime.parse(matcher.group(1), TIME))
					.atZone(ZoneId.systemDefault())
					.toInstant()
					.toEpochMilli();
				String partition = matcher.group(3);
				workers.putIfAbsent(partition, matcher.group(2));
				windows.computeIfAbsent(partition, (name) -> new long[] { millis, millis })[1] = millis;
			}
			Map<String, Double> seconds = new HashMap<>();
			windows.forEach((partition, window) -> {
				String worker = workers.get(partition);
				String io = partition + "-io";
				long used = ticksAt(window[1], worker::equals) - ticksAt(window[0], worker::equals)
						+ ticksAt(Long.MAX_VALUE, (name) -> name.startsWith(io));
				seconds.put(partition, used / TICKS_PER_SECOND);
			});
			return seconds;
		}

		/** The ticks of the named threads as last sampled at or before a time. */
		private long ticksAt(long millis, Predicate<String> named) {
			Map<Long, Long> last = new HashMap<>();
			for (Sample sample : this.samples) {
				if (sample.millis > millis) {
					break;
				}
				last.putAll(sample.ticks);
			}
			long sum = 0;
			for (Map.Entry<Long, Long> entry : last.entrySet()) {
				if (named.test(this.names.get(entry.getKey()))) {
					sum += entry.getValue();
				}
			}
			return sum;
		}

		private record Sample(long millis, Map<Long, Long> ticks) {
		}

	}

	private static double between(Timestamp start, Timestamp end) {
		if (start == null || end == null) {
			return Double.NaN;
		}
		return Duration.between(start.toLocalDateTime(), end.toLocalDateTime()).toNanos() / 1e9;
	}

	// ---- the digest alone, in this JVM

	/**
	 * The digest over the same file bytes in one thread: read into one reused array, the
	 * digest timed alone; and the whole read-and-digest loop timed too.
	 */
	private static Reference reference(String jdkName, List<Path> files) throws Exception {
		MessageDigest digest = MessageDigest.getInstance(jdkName);
		byte[] buffer = new byte[REFERENCE_BUFFER];
		warmUp(digest, buffer);
		ByteBuffer wrapped = ByteBuffer.wrap(buffer);
		long digestNanos = 0;
		long total = 0;
		long started = System.nanoTime();
		for (Path file : files) {
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
				while (true) {
					int read = channel.read(wrapped.clear());
					if (read < 0) {
						break;
					}
					long before = System.nanoTime();
					digest.update(buffer, 0, read);
					digestNanos += System.nanoTime() - before;
					total += read;
				}
			}
			digest.digest();
		}
		long loopNanos = System.nanoTime() - started;
		started = System.nanoTime();
		long read = warm(files);
		long readNanos = System.nanoTime() - started;
		return new Reference(total * 1e3 / digestNanos, total * 1e3 / loopNanos, read * 1e3 / readNanos);
	}

	private static void warmUp(MessageDigest digest, byte[] buffer) {
		new SplittableRandom(1).nextBytes(buffer);
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
		while (System.nanoTime() < until) {
			digest.update(buffer, 0, buffer.length);
		}
		digest.digest();
	}

	/**
	 * The digest alone in several threads at once: per thread, what the machine gives
	 * when every core is busy.
	 */
	private static double concurrentDigest(String jdkName, int threads) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Double>> speeds = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				speeds.add(executor.submit(() -> {
					MessageDigest digest = MessageDigest.getInstance(jdkName);
					byte[] buffer = new byte[REFERENCE_BUFFER];
					warmUp(digest, buffer);
					long bytes = 0;
					long started = System.nanoTime();
					while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3)) {
						digest.update(buffer, 0, buffer.length);
						bytes += buffer.length;
					}
					digest.digest();
					return bytes * 1e3 / (System.nanoTime() - started);
				}));
			}
			double sum = 0;
			for (Future<Double> speed : speeds) {
				sum += speed.get();
			}
			return sum / threads;
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * Single-thread speeds over the same file bytes.
	 *
	 * @param digestMbs the digest alone, timed around each update over bytes just read
	 * into a reused array
	 * @param loopMbs a plain loop that reads each file into that array and digests it
	 * @param readMbs reading the cached files alone, into a reused direct buffer
	 */
	private record Reference(double digestMbs, double loopMbs, double readMbs) {

		Reference max(Reference other) {
			return new Reference(Math.max(this.digestMbs, other.digestMbs), Math.max(this.loopMbs, other.loopMbs),
					Math.max(this.readMbs, other.readMbs));
		}

		/** Reading and digesting one after the other, each at its best speed. */
		double ceilingMbs() {
			return 1 / (1 / this.digestMbs + 1 / this.readMbs);
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"digest alone %.0f MB/s, read-and-digest loop %.0f MB/s, reading alone %.0f MB/s", this.digestMbs,
					this.loopMbs, this.readMbs);
		}

	}

	private static String jdkDigestName(String algorithm) {
		return switch (algorithm.toLowerCase(Locale.ROOT)) {
			case "sha256" -> "SHA-256";
			case "sha1" -> "SHA-1";
			case "md5" -> "MD5";
			default -> throw new IllegalArgumentException(
					"the large-file reference needs a JDK digest, not " + algorithm + " (use sha256, sha1 or md5)");
		};
	}

	// ---- the trees

	private static List<Path> roots(Path tree, int count) {
		List<Path> roots = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			roots.add(tree.resolve("root-" + i));
		}
		return roots;
	}

	/** A tree is complete when its marker, beside it, exists. */
	private static boolean reuse(Path tree) {
		return Files.exists(marker(tree)) && Files.isDirectory(tree);
	}

	private static void done(Path tree) throws IOException {
		Files.writeString(marker(tree), "complete\n");
	}

	private static Path marker(Path tree) {
		return tree.resolveSibling(tree.getFileName() + ".complete");
	}

	private static void writeLargeFile(Path file, long size, long seed) throws IOException {
		Files.createDirectories(file.getParent());
		byte[] block = new byte[(int) MIB];
		new SplittableRandom(seed).nextBytes(block);
		ByteBuffer buffer = ByteBuffer.wrap(block);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			for (long written = 0; written < size; written += block.length) {
				// Every block differs, so nothing can be deduplicated or compressed away.
				long index = written / block.length;
				for (int i = 0; i < 8; i++) {
					block[i] = (byte) (index >>> (8 * i));
				}
				buffer.clear().limit((int) Math.min(block.length, size - written));
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
			}
			// On disk before the scans start, so no write-back competes with them.
			channel.force(true);
		}
	}

	private static void writeSmallFiles(List<Path> roots, int count, int maxSize, int perDirectory) throws IOException {
		SplittableRandom random = new SplittableRandom(42);
		byte[] pool = new byte[maxSize * 2 + 1];
		random.nextBytes(pool);
		int perRoot = (count + roots.size() - 1) / roots.size();
		for (int i = 0; i < count; i++) {
			int inRoot = i % perRoot;
			int directory = inRoot / perDirectory;
			Path parent = roots.get(i / perRoot)
				.resolve(String.format("d%03d", directory / 100))
				.resolve(String.format("e%02d", directory % 100));
			if (inRoot % perDirectory == 0) {
				Files.createDirectories(parent);
			}
			int size = random.nextInt(maxSize + 1);
			int offset = random.nextInt(pool.length - size);
			try (FileChannel channel = FileChannel.open(parent.resolve(String.format("f%06d.bin", inRoot)),
					StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
				channel.write(ByteBuffer.wrap(pool, offset, size));
			}
		}
	}

	private static List<Path> listFiles(Path root) throws IOException {
		try (var paths = Files.walk(root)) {
			return paths.filter(Files::isRegularFile).sorted().toList();
		}
	}

	/** Read every file once, so the scans read the page cache, not the disk. */
	private static long warm(List<Path> files) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocateDirect((int) MIB);
		long total = 0;
		for (Path file : files) {
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
				int read;
				while ((read = channel.read(buffer.clear())) >= 0) {
					total += read;
				}
			}
		}
		return total;
	}

	private static void deleteTree(Path tree) throws IOException {
		if (!Files.exists(tree)) {
			return;
		}
		Files.walkFileTree(tree, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				Files.delete(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path directory, IOException ex) throws IOException {
				Files.delete(directory);
				return FileVisitResult.CONTINUE;
			}

		});
		Files.deleteIfExists(marker(tree));
	}

	// ---- the machine, the properties, the report

	private static long memAvailable() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemAvailable:")) {
					return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not Linux: assume plenty
		}
		return Long.MAX_VALUE / 2;
	}

	/**
	 * Return the load average and, where the kernel tells it, the share of the last 10 s
	 * in which some task waited for a CPU: above a few percent, other work competed with
	 * the scan and its figures are low.
	 */
	private static String loadAverage() {
		String load;
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			load = fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
		try {
			Matcher matcher = Pattern.compile("^some avg10=([\\d.]+)")
				.matcher(Files.readString(Path.of("/proc/pressure/cpu")));
			if (matcher.find()) {
				load += ", CPU pressure " + matcher.group(1) + " %";
			}
		}
		catch (IOException ex) {
			// no pressure stall information
		}
		return load;
	}

	private static String cpuModel() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).strip();
				}
			}
		}
		catch (IOException ex) {
			// unknown
		}
		return System.getProperty("os.arch");
	}

	private static int intProperty(String name, int fallback) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? fallback : Integer.parseInt(value.strip().replace("_", ""));
	}

	private static long sizeProperty(String name, String fallback) {
		String value = System.getProperty(name, fallback).strip().toLowerCase(Locale.ROOT);
		long unit = switch (value.charAt(value.length() - 1)) {
			case 'k' -> 1024;
			case 'm' -> MIB;
			case 'g' -> 1024 * MIB;
			default -> 1;
		};
		String digits = (unit == 1) ? value : value.substring(0, value.length() - 1);
		return Long.parseLong(digits) * unit;
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static String verdict(boolean met) {
		return met ? "PASS" : "MISS";
	}

	private static void print(String format, Object... arguments) {
		String line = String.format(Locale.ROOT, format, arguments);
		System.out.println(line);
		try {
			Files.writeString(REPORT, line + "\n", StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
