package dev.treesum.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import dev.treesum.TreesumSpringTest;
import dev.treesum.cli.TreesumCli;
import dev.treesum.walk.Lstat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Rolling re-verification end to end: {@code scan --incremental --reverify} on real
 * trees, what each run read, {@code report stale}, the summary's verification figures,
 * and the {@code attributes} and {@code touched} changes.
 */
@TreesumSpringTest
class ReverificationIntegrationTests {

	private static final List<String> CHANGES = List.of("change", "path", "previous_path", "size", "previous_digest",
			"digest");

	private static final List<String> STALE = List.of("path", "size", "verified_at", "verified_scan");

	private static final List<String> SUMMARY = List.of("partition", "mountpoint", "device", "fs_type", "disk", "state",
			"files", "bytes", "bytes_read", "errors", "seconds", "files_per_second", "bytes_per_second",
			"oldest_verified", "verified_7d_files_pct", "verified_7d_bytes_pct", "verified_30d_files_pct",
			"verified_30d_bytes_pct");

	@Autowired
	private ApplicationContext context;

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	private Path temp;

	private TreesumCli cli;

	@BeforeEach
	void commandLine() {
		this.cli = new TreesumCli(this.context);
	}

	@Test
	void tenRunsAtTenPercentReadEveryFileOnceAndTheOneThatRereadsARottenFileReportsItCorrupted() throws Exception {
		Path root = tree("rolling");
		Random random = new Random(41);
		List<Path> files = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			byte[] content = new byte[256 + random.nextInt(1792)];
			random.nextBytes(content);
			Path directory = Files.createDirectories(root.resolve(String.format("d%02d", i / 100)));
			files.add(Files.write(directory.resolve(String.format("f%04d.bin", i)), content));
		}
		long totalBytes = bytes(root);
		long full = this.cli.scan(root.toString());
		Path rotten = files.get(1234);
		rot(full, rotten, 777);

		List<Long> runs = new ArrayList<>();
		Set<String> reread = new HashSet<>();
		Map<Long, List<List<String>>> changes = new LinkedHashMap<>();
		for (int night = 0; night < 10; night++) {
			long scan = this.cli.scan("--incremental", "--reverify", "10%", root.toString());
			runs.add(scan);
			long bytesRead = Long.parseLong(total(summary(scan)).get(SUMMARY.indexOf("bytes_read")));
			assertThat(bytesRead).as("the bytes run %d read, of %d", night + 1, totalBytes)
				.isBetween(totalBytes * 5 / 100, totalBytes * 20 / 100);
			List<String> read = read(scan);
			boolean again = read.stream().anyMatch(reread::contains);
			reread.addAll(read);
			if (again) {
				assertThat(reread).as("run %d reads a file a second time only once every file was read", night + 1)
					.hasSameSizeAs(files);
			}
			changes.put(scan,
					ReportIntegrationTests.csv(report("changes", "--scan", scan, "--format", "csv"), CHANGES));
		}

		assertThat(reread).as("the ten runs together read every file again")
			.containsExactlyInAnyOrderElementsOf(files.stream().map(Path::toString).toList());
		long rereadIt = runs.stream()
			.filter((scan) -> read(scan).contains(rotten.toString()))
			.findFirst()
			.orElseThrow();
		assertThat(changes.get(rereadIt)).as("the run that read the rotten file again")
			.extracting((row) -> row.get(0), (row) -> row.get(1), (row) -> row.get(3))
			.containsExactly(tuple("corrupted", rotten.toString(), Long.toString(Files.size(rotten))));
		assertThat(changes).as("no other run lists a change").allSatisfy((scan, rows) -> {
			if (scan != rereadIt) {
				assertThat(rows).isEmpty();
			}
		});
	}

	@Test
	void theBudgetCountsBytesReadsAFileLargerThanItWhenItsTurnComesAndCarriesTheExcessOver() throws Exception {
		Path root = tree("budget");
		Random random = new Random(42);
		// In walk order: small files, one file larger than a run's budget, small files.
		for (String name : List.of("a0", "a1", "a2", "a3", "a4", "b-large", "c0", "c1", "c2", "c3", "c4")) {
			byte[] content = new byte[name.equals("b-large") ? 12000 : 1000];
			random.nextBytes(content);
			Files.write(root.resolve(name), content);
		}
		long large = 12000;
		long budget = (long) Math.ceil(bytes(root) * 10 / 100.0);
		assertThat(large).isGreaterThan(budget);
		this.cli.scan(root.toString());

		long cumulative = 0;
		Set<String> reread = new HashSet<>();
		String afterLarge = null;
		for (int night = 1; night <= 10; night++) {
			long scan = this.cli.scan("--incremental", "--reverify", "10", root.toString());
			long bytesRead = bytesRead(scan);
			List<String> read = read(scan);
			cumulative += bytesRead;
			assertThat(cumulative).as("the bytes read again by run %d and those before it", night)
				.isBetween(night * budget, night * budget + large);
			if (afterLarge != null) {
				assertThat(read).as("the run after the large file reads nothing: it pays for the excess").isEmpty();
				afterLarge = null;
			}
			if (read.contains(root.resolve("b-large").toString())) {
				assertThat(bytesRead).as("the large file is read whole, however small the budget")
					.isGreaterThanOrEqualTo(large);
				afterLarge = "next";
			}
			reread.addAll(read);
		}
		try (Stream<Path> all = Files.list(root)) {
			assertThat(reread).as("within ceil(100 / 10) runs every file is read again")
				.containsExactlyInAnyOrderElementsOf(all.map(Path::toString).toList());
		}
	}

	@Test
	void staleFilesAndTheSummarysSharesFollowWhenEachFileWasLastRead() throws Exception {
		Path root = tree("stale");
		Map<String, Path> files = new LinkedHashMap<>();
		for (int i = 0; i < 10; i++) {
			files.put("f" + i, Files.write(root.resolve("f" + i), new byte[100 * (i + 1)]));
		}
		long first = this.cli.scan(root.toString());
		rewrite(files.get("f2"), files.get("f5"), files.get("f7"));
		long second = this.cli.scan("--incremental", root.toString());
		rewrite(files.get("f5"), files.get("f9"));
		long third = this.cli.scan("--incremental", root.toString());
		// Verification times are the start times of the scans that read: put those weeks
		// apart.
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		created(first, now.minus(Duration.ofDays(40)));
		created(second, now.minus(Duration.ofDays(10)));
		created(third, now.minus(Duration.ofHours(1)));

		List<String> fromFirst = List.of("f0", "f1", "f3", "f4", "f6", "f8");
		assertThat(stale("--scan", third)).as("the default: not read for 30 days, oldest first")
			.containsExactlyElementsOf(rows(files, fromFirst, first, now.minus(Duration.ofDays(40))));
		List<List<String>> sevenDays = new ArrayList<>(rows(files, fromFirst, first, now.minus(Duration.ofDays(40))));
		sevenDays.addAll(rows(files, List.of("f2", "f7"), second, now.minus(Duration.ofDays(10))));
		assertThat(stale("--scan", third, "--older-than", "1w")).containsExactlyElementsOf(sevenDays);
		assertThat(stale("--scan", third, "--older-than", "41d")).isEmpty();
		assertThat(stale("--scan", third, "--older-than", "30m")).hasSize(10);
		assertThat(stale("--older-than", "1w")).as("the host's latest scan by default").isEqualTo(sevenDays);

		List<String> total = total(summary(third));
		long bytes = 5500;
		long bytesIn7d = 600 + 1000;
		long bytesIn30d = bytesIn7d + 300 + 800;
		assertThat(total.subList(SUMMARY.indexOf("oldest_verified"), SUMMARY.size())).containsExactly(
				timestamp(now.minus(Duration.ofDays(40))), percent(2, 10), percent(bytesIn7d, bytes), percent(4, 10),
				percent(bytesIn30d, bytes));
		List<String> partition = summary(third).get(0);
		assertThat(partition.subList(SUMMARY.indexOf("oldest_verified"), SUMMARY.size()))
			.as("one partition: the same figures as the total")
			.isEqualTo(total.subList(SUMMARY.indexOf("oldest_verified"), SUMMARY.size()));
		assertThat(total(summary(first)).subList(SUMMARY.indexOf("oldest_verified"), SUMMARY.size()))
			.as("a full scan 40 days ago")
			.containsExactly(timestamp(now.minus(Duration.ofDays(40))), "0.0", "0.0", "0.0", "0.0");

		TreesumCli.Run everyHost = this.cli.run("report", "stale", "--all-hosts", "--older-than", "1w", "--format",
				"csv");
		assertThat(everyHost.exitCode()).as(everyHost.toString()).isZero();
		assertThat(everyHost.out().lines().findFirst().orElseThrow())
			.isEqualTo("host,scan,path,size,verified_at,verified_scan");
		assertThat(everyHost.out()).contains("," + third + "," + files.get("f2") + ",300,");
	}

	@Test
	void chmodChownAndChgrpAreAttributesAndTouchIsTouchedWhileAnUnchangedTreeListsNeither() throws Exception {
		Path root = tree("attributes");
		Map<String, Path> files = new LinkedHashMap<>();
		for (String name : List.of("chmod", "chown", "chgrp", "touch", "chmod-and-touch", "same")) {
			files.put(name, Files.writeString(root.resolve(name + ".txt"), "content of " + name));
		}
		long first = this.cli.scan(root.toString());
		long rescan = this.cli.scan(root.toString());
		long incremental = this.cli.scan("--incremental", root.toString());
		for (long scan : List.of(rescan, incremental)) {
			assertThat(changes(scan, "--include-touched")).as("an unchanged tree, scan %d", scan).isEmpty();
		}
		assertThat(changes(rescan, "--base", Long.toString(first))).isEmpty();

		Files.setPosixFilePermissions(files.get("chmod"), PosixFilePermissions.fromString("rw-------"));
		Files.setAttribute(files.get("chown"), "unix:uid", 4321);
		Files.setAttribute(files.get("chgrp"), "unix:gid", 4321);
		touch(files.get("touch"));
		Files.setPosixFilePermissions(files.get("chmod-and-touch"), PosixFilePermissions.fromString("rwxr-xr-x"));
		touch(files.get("chmod-and-touch"));
		long changed = this.cli.scan("--incremental", root.toString());

		assertThat(changes(changed)).extracting((row) -> row.get(0), (row) -> row.get(1))
			.containsExactlyInAnyOrder(tuple("attributes", files.get("chmod").toString()),
					tuple("attributes", files.get("chown").toString()),
					tuple("attributes", files.get("chgrp").toString()),
					tuple("attributes", files.get("chmod-and-touch").toString()));
		assertThat(changes(changed, "--include-touched")).extracting((row) -> row.get(0), (row) -> row.get(1))
			.containsExactlyInAnyOrder(tuple("attributes", files.get("chmod").toString()),
					tuple("attributes", files.get("chown").toString()),
					tuple("attributes", files.get("chgrp").toString()),
					tuple("attributes", files.get("chmod-and-touch").toString()),
					tuple("touched", files.get("touch").toString()));
		assertThat(changes(changed, "--include-touched")).as("the content is the same: both digests are given")
			.allSatisfy((row) -> assertThat(row.get(4)).isEqualTo(row.get(5)).hasSize(64));
		long after = this.cli.scan(root.toString());
		assertThat(changes(after, "--include-touched")).as("a full rescan after the changes").isEmpty();
	}

	/**
	 * Flip one byte of a file below the file system, as bit rot does: size, mtime, ctime
	 * and inode stay. A rewrite cannot keep the ctime, so the scan's record of it takes
	 * the new one.
	 */
	private void rot(long scan, Path file, int offset) throws IOException {
		FileTime mtime = Files.getLastModifiedTime(file);
		byte[] content = Files.readAllBytes(file);
		content[offset] ^= 0x04;
		Files.write(file, content);
		Files.setLastModifiedTime(file, mtime);
		Lstat stat = Lstat.of(file);
		assertThat(this.jdbc.update(
				"update treesum_entry e set ctime_ns = ? from treesum_file f where f.scan_id = ? and f.path_text = ? "
						+ "and e.scan_id = f.scan_id and e.path_no = f.path_no and e.mtime_ns = ? and e.inode = ?",
				stat.ctimeNanos(), scan, file.toString(), stat.mtimeNanos(), stat.inode()))
			.as("the file's record, with the same mtime and inode")
			.isOne();
	}

	/** New content of the same size, and a later mtime. */
	private static void rewrite(Path... files) throws IOException {
		for (Path file : files) {
			byte[] content = Files.readAllBytes(file);
			content[0]++;
			Files.write(file, content);
			touch(file);
		}
	}

	private static void touch(Path file) throws IOException {
		Files.setLastModifiedTime(file,
				FileTime.from(Files.getLastModifiedTime(file).toInstant().plus(Duration.ofMinutes(1))));
	}

	private void created(long scan, Instant at) {
		this.jdbc.update("update treesum_scan set created_at = ? where id = ?", Timestamp.from(at), scan);
	}

	private static List<List<String>> rows(Map<String, Path> files, List<String> names, long scan, Instant at) {
		List<List<String>> rows = new ArrayList<>();
		for (String name : names) {
			Path file = files.get(name);
			rows.add(List.of(file.toString(), Long.toString(file.toFile().length()), timestamp(at),
					Long.toString(scan)));
		}
		return rows;
	}

	/** A time as the CSV report writes it. */
	private static String timestamp(Instant at) {
		return at.toString();
	}

	private static String percent(long part, long whole) {
		return String.format(Locale.ROOT, "%.1f", 100.0 * part / whole);
	}

	private List<List<String>> stale(Object... options) {
		Object[] args = new Object[options.length + 3];
		args[0] = "stale";
		System.arraycopy(options, 0, args, 1, options.length);
		args[options.length + 1] = "--format";
		args[options.length + 2] = "csv";
		return ReportIntegrationTests.csv(report(args), STALE);
	}

	private List<List<String>> changes(long scan, String... options) {
		Object[] args = new Object[options.length + 5];
		args[0] = "changes";
		args[1] = "--scan";
		args[2] = scan;
		System.arraycopy(options, 0, args, 3, options.length);
		args[options.length + 3] = "--format";
		args[options.length + 4] = "csv";
		return ReportIntegrationTests.csv(report(args), CHANGES);
	}

	private List<List<String>> summary(long scan) {
		return ReportIntegrationTests.csv(report("summary", "--scan", scan, "--format", "csv"), SUMMARY);
	}

	private static List<String> total(List<List<String>> summary) {
		List<String> total = summary.get(summary.size() - 1);
		assertThat(total.get(0)).isEqualTo("total");
		return total;
	}

	private String report(Object... args) {
		String[] all = new String[args.length + 1];
		all[0] = "report";
		for (int i = 0; i < args.length; i++) {
			all[i + 1] = args[i].toString();
		}
		TreesumCli.Run run = this.cli.run(all);
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.err()).isEmpty();
		return run.out();
	}

	/** The regular files a scan read rather than carried over. */
	private List<String> read(long scan) {
		return this.jdbc.queryForList(
				"select path_text from treesum_file where scan_id = ? and kind = 'file' and verified_age = 0",
				String.class, scan);
	}

	private long bytesRead(long scan) {
		return this.jdbc.queryForObject("select sum(bytes_read) from treesum_partition where scan_id = ?", Long.class,
				scan);
	}

	private static long bytes(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter(Files::isRegularFile).mapToLong((path) -> path.toFile().length()).sum();
		}
	}

	private Path tree(String name) throws IOException {
		return Files.createDirectory(this.temp.resolve(name)).toRealPath();
	}

}
