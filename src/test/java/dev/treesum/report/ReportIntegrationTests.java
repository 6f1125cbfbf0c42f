package dev.treesum.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import dev.treesum.TreesumSpringTest;
import dev.treesum.cli.TreesumCli;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code treesum report}, {@code scan --incremental} and {@code prune} end to end: real
 * trees changed between real scans in PostgreSQL, and every report read back through an
 * independent CSV reader and a JSON parser, so what is asserted is what a user gets.
 */
@TreesumSpringTest
class ReportIntegrationTests {

	private static final List<String> CHANGES = List.of("change", "path", "previous_path", "size", "previous_digest",
			"digest");

	private static final List<String> DUPLICATES = List.of("group", "digest", "size", "path");

	private static final List<String> ERRORS = List.of("path", "status", "error");

	private static final List<String> SUMMARY = List.of("partition", "mountpoint", "device", "fs_type", "disk", "state",
			"files", "bytes", "bytes_read", "errors", "seconds", "files_per_second", "bytes_per_second",
			"oldest_verified", "verified_7d_files_pct", "verified_7d_bytes_pct", "verified_30d_files_pct",
			"verified_30d_bytes_pct");

	private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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
	void changesListExactlyTheFilesAddedDeletedModifiedCorruptedAndMoved() throws Exception {
		Path root = tree("changes");
		// Files that do not change, which must not be listed.
		TestTrees.mixedFiles(root.resolve("unchanged"), 40, 11);
		Path gone = write(root.resolve("gone.txt"), "deleted content");
		Path grown = write(root.resolve("grow.log"), "first line\n");
		Path rotten = Files.write(root.resolve("rot.bin"), random(8192, 12));
		Path renamed = write(root.resolve("old-name.txt"), "renamed content");
		Path original = write(root.resolve("original.txt"), "copied content");
		Path twice = write(root.resolve("twice.txt"), "moved, then copied");
		Path touched = write(root.resolve("touched.txt"), "only the modification time changes");
		Map<String, String> before = TestTrees.sha256sums(root);
		long base = this.cli.scan(root.toString());

		Path added = write(root.resolve("new, \"quoted\".txt"), "added content");
		Files.delete(gone);
		FileTime grownTime = Files.getLastModifiedTime(grown);
		Files.writeString(grown, "second line\n", StandardOpenOption.APPEND);
		// Set, not left to the clock, so the new mtime certainly differs.
		Files.setLastModifiedTime(grown, FileTime.from(grownTime.toInstant().plusSeconds(60)));
		FileTime rottenTime = Files.getLastModifiedTime(rotten);
		byte[] content = Files.readAllBytes(rotten);
		content[4321] ^= 0x10;
		Files.write(rotten, content);
		Files.setLastModifiedTime(rotten, rottenTime);
		assertThat(Files.getLastModifiedTime(rotten)).isEqualTo(rottenTime);
		Path movedTo = Files.createDirectories(root.resolve("moved")).resolve("new-name.txt");
		Files.move(renamed, movedTo);
		Path copy = Files.copy(original, root.resolve("copy-of-original.txt"));
		// One deleted path, two added ones with its content: one move and one addition.
		Path twice1 = Files.move(twice, root.resolve("twice-1.txt"));
		Path twice2 = Files.copy(twice1, root.resolve("twice-2.txt"));
		// The same content with a new mtime is no change: it is not listed.
		Files.setLastModifiedTime(touched,
				FileTime.from(Files.getLastModifiedTime(touched).toInstant().plusSeconds(60)));
		Map<String, String> after = TestTrees.sha256sums(root);
		long scan = this.cli.scan(root.toString());

		List<List<String>> rows = csv(report("changes", "--scan", scan, "--base", base, "--format", "csv"), CHANGES);

		assertThat(rows).containsExactlyInAnyOrder(
				List.of("added", added.toString(), "", size(added), "", after.get(added.toString())),
				List.of("deleted", gone.toString(), "", "15", before.get(gone.toString()), ""),
				List.of("modified", grown.toString(), "", size(grown), before.get(grown.toString()),
						after.get(grown.toString())),
				List.of("corrupted", rotten.toString(), "", "8192", before.get(rotten.toString()),
						after.get(rotten.toString())),
				List.of("moved", movedTo.toString(), renamed.toString(), size(movedTo), before.get(renamed.toString()),
						after.get(movedTo.toString())),
				List.of("added", copy.toString(), "", size(copy), "", after.get(original.toString())),
				List.of("moved", twice1.toString(), twice.toString(), size(twice1), before.get(twice.toString()),
						after.get(twice1.toString())),
				List.of("added", twice2.toString(), "", size(twice2), "", after.get(twice1.toString())));
		assertThat(before.get(rotten.toString())).isNotEqualTo(after.get(rotten.toString()));
		assertThat(report("changes", "--scan", scan, "--format", "csv"))
			.as("the base defaults to the previous completed scan of the same roots")
			.isEqualTo(report("changes", "--scan", scan, "--base", base, "--format", "csv"));
		assertThat(csv(report("changes", "--scan", base, "--base", base, "--format", "csv"), CHANGES))
			.as("a scan has no changes against itself")
			.isEmpty();
	}

	@Test
	void duplicatesAreExactlyThePlantedGroupsWithHardLinksCountedOnce() throws Exception {
		Path root = tree("duplicates");
		byte[] big = random(10_000, 13);
		Path big1 = Files.write(root.resolve("big1.bin"), big);
		Path big2 = Files.write(Files.createDirectories(root.resolve("x")).resolve("big2.bin"), big);
		Path one = write(root.resolve("a/one.txt"), "alpha");
		Path two = write(root.resolve("b/two.txt"), "alpha");
		Path three = write(root.resolve("c/three.txt"), "alpha");
		// A second name of one.txt, sorting after it: it adds no file to the group.
		Files.createLink(root.resolve("z-link-to-one.txt"), one);
		// One inode under two names is not a duplicate.
		Path solo = write(root.resolve("solo.txt"), "one inode, two names");
		Files.createLink(root.resolve("solo-link.txt"), solo);
		// The same size as alpha, other content.
		write(root.resolve("beta1.txt"), "beta1");
		write(root.resolve("beta2.txt"), "beta2");
		Path empty1 = write(root.resolve("empty1"), "");
		Path empty2 = write(root.resolve("d/empty2"), "");
		String bigDigest = sha256(big);
		String alphaDigest = sha256("alpha".getBytes(StandardCharsets.UTF_8));
		long scan = this.cli.scan(root.toString());

		List<List<String>> rows = csv(report("duplicates", "--scan", scan, "--format", "csv"), DUPLICATES);

		List<List<String>> planted = List.of(List.of("1", bigDigest, "10000", big1.toString()),
				List.of("1", bigDigest, "10000", big2.toString()), List.of("2", alphaDigest, "5", one.toString()),
				List.of("2", alphaDigest, "5", two.toString()), List.of("2", alphaDigest, "5", three.toString()));
		assertThat(rows).containsExactlyElementsOf(planted);
		List<List<String>> withEmpty = new ArrayList<>(planted);
		withEmpty.add(List.of("3", EMPTY_SHA256, "0", empty2.toString()));
		withEmpty.add(List.of("3", EMPTY_SHA256, "0", empty1.toString()));
		assertThat(csv(report("duplicates", "--scan", scan, "--include-empty", "--format", "csv"), DUPLICATES))
			.containsExactlyInAnyOrderElementsOf(withEmpty);
	}

	@Test
	void anIncrementalScanOfAnUnchangedTreeReadsNothingAndKeepsEveryDigest() throws Exception {
		Path root = tree("unchanged");
		TestTrees.mixedFiles(root, 60, 21);
		long totalBytes;
		try (Stream<Path> files = Files.walk(root)) {
			totalBytes = files.filter(Files::isRegularFile).mapToLong((path) -> path.toFile().length()).sum();
		}
		long full = this.cli.scan(root.toString());

		long incremental = this.cli.scan("--incremental", root.toString());

		assertThat(bytesRead(full)).isEqualTo(totalBytes).isPositive();
		assertThat(bytesRead(incremental)).isZero();
		assertThat(this.jdbc.queryForObject("select incremental from treesum_scan where id = ?", Boolean.class,
				incremental))
			.isTrue();
		assertThat(this.jdbc.queryForMap(
				"select count(*) as files, count(*) filter (where carried_over) as carried_over from treesum_file "
						+ "where scan_id = ? and kind = 'file'",
				incremental))
			.containsEntry("files", 60L)
			.containsEntry("carried_over", 60L);
		assertThat(digests(incremental)).isEqualTo(digests(full)).isEqualTo(TestTrees.sha256sums(root));
	}

	@Test
	void anIncrementalScanAfterAChangeReadsExactlyTheChangedFiles() throws Exception {
		Path root = tree("changed");
		TestTrees.mixedFiles(root, 60, 22);
		long full = this.cli.scan(root.toString());
		Path appended = root.resolve("d4/e1/f4.bin");
		FileTime appendedTime = Files.getLastModifiedTime(appended);
		Files.write(appended, random(1000, 23), StandardOpenOption.APPEND);
		Files.setLastModifiedTime(appended, FileTime.from(appendedTime.toInstant().plusSeconds(60)));
		// Size and mtime as they were: only the change time, which no one can set, tells.
		Path flipped = root.resolve("d5/e2/f5.bin");
		FileTime flippedTime = Files.getLastModifiedTime(flipped);
		byte[] content = Files.readAllBytes(flipped);
		content[100] ^= 0x01;
		Files.write(flipped, content);
		Files.setLastModifiedTime(flipped, flippedTime);
		assertThat(Files.getLastModifiedTime(flipped)).isEqualTo(flippedTime);
		Path renamed = Files.move(root.resolve("d3/e0/f3.bin"), root.resolve("renamed.bin"));
		Path deleted = root.resolve("d2/e2/f2.bin");
		Files.delete(deleted);
		Path added = Files.write(root.resolve("added.bin"), random(3000, 24));

		long incremental = this.cli.scan("--incremental", root.toString());

		List<Path> changed = List.of(appended, flipped, renamed, added);
		long changedBytes = 0;
		for (Path path : changed) {
			changedBytes += Files.size(path);
		}
		assertThat(changedBytes).isEqualTo(4097 + 1000 + 65536 + 4096 + 3000);
		assertThat(bytesRead(incremental)).isEqualTo(changedBytes);
		assertThat(this.jdbc.queryForList(
				"select path_text from treesum_file where scan_id = ? and kind = 'file' and not carried_over",
				String.class, incremental))
			.containsExactlyInAnyOrderElementsOf(changed.stream().map(Path::toString).toList());
		assertThat(digests(incremental)).isEqualTo(TestTrees.sha256sums(root)).hasSize(60);
		assertThat(digests(incremental).get(flipped.toString())).isNotEqualTo(digests(full).get(flipped.toString()));
		assertThat(csv(report("changes", "--scan", incremental, "--base", full, "--format", "csv"), CHANGES))
			.as("an incremental scan still tells a corrupted file from a modified one")
			.extracting((row) -> row.get(0), (row) -> row.get(1))
			.containsExactlyInAnyOrder(tuple("modified", appended.toString()), tuple("corrupted", flipped.toString()),
					tuple("moved", renamed.toString()), tuple("deleted", deleted.toString()),
					tuple("added", added.toString()));
	}

	@Test
	void everyReportIsATableCsvWithTheDocumentedHeaderAndJsonWithTheSameRows() throws Exception {
		Path first = tree("formats-1");
		Path second = tree("formats-2");
		write(first.resolve("kept.txt"), "kept");
		write(first.resolve("same-a.txt"), "same");
		write(second.resolve("same-b.txt"), "same");
		long base = this.cli.scan(first.toString(), second.toString());
		// Names that need quoting in CSV and escaping in JSON.
		write(first.resolve("comma, \"quote\" and \\ backslash.txt"), "awkward");
		write(second.resolve("tab\tand\nnewline"), "same");
		write(second.resolve("r\u00e9sum\u00e9.txt"), "kept");
		long scan = this.cli.scan(first.toString(), second.toString());
		ObjectMapper json = new ObjectMapper();

		Map<String, List<String>> headers = new LinkedHashMap<>();
		headers.put("summary", SUMMARY);
		headers.put("changes", CHANGES);
		headers.put("duplicates", DUPLICATES);
		headers.put("errors", ERRORS);
		Map<String, Integer> rowCounts = Map.of("summary", 3, "changes", 3, "duplicates", 5, "errors", 0);
		for (Map.Entry<String, List<String>> kind : headers.entrySet()) {
			List<String> columns = kind.getValue();
			String[] options = { kind.getKey(), "--scan", Long.toString(scan), "--base", Long.toString(base) };
			List<List<String>> csv = csv(report(options, "--format", "csv"), columns);
			assertThat(csv).as(kind.getKey()).hasSize(rowCounts.get(kind.getKey()));

			List<LinkedHashMap<String, Object>> objects = json.readValue(report(options, "--format", "json"),
					new TypeReference<>() {
					});

			assertThat(objects).as(kind.getKey()).hasSameSizeAs(csv);
			for (int i = 0; i < objects.size(); i++) {
				assertThat(objects.get(i).keySet()).as(kind.getKey()).containsExactlyElementsOf(columns);
				List<String> values = objects.get(i)
					.values()
					.stream()
					.map((v) -> (v != null) ? v.toString() : "")
					.toList();
				assertThat(values).as(kind.getKey()).isEqualTo(csv.get(i));
			}
			List<String> table = report(options, "--format", "table").lines().toList();
			assertThat(table.get(0).split(" +"))
				.containsExactlyElementsOf(columns.stream().map(String::toUpperCase).toList());
		}
		String changes = report(new String[] { "changes", "--scan", Long.toString(scan) }, "--format", "json");
		assertThat(json.readTree(changes).findValuesAsText("path")).containsExactlyInAnyOrder(
				first.resolve("comma, \"quote\" and \\ backslash.txt").toString(),
				second.resolve("r\u00e9sum\u00e9.txt").toString(), second.resolve("tab\tand\nnewline").toString());
	}

	@Test
	void errorsListWhatCouldNotBeReadAndWhyAndTheSummaryCountsIt() throws Exception {
		Path root = tree("errors");
		write(root.resolve("readable.txt"), "fine");
		Path secret = write(root.resolve("secret.txt"), "secret");
		Path locked = Files.createDirectories(root.resolve("locked"));
		write(locked.resolve("hidden.txt"), "hidden");
		Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
		Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
		TreesumProcess scan = TreesumProcess.against("scan", root.toString());
		if (TestTrees.sh("id -u").strip().equals("0")) {
			// Root reads anything through these two capabilities: drop them for the
			// child.
			scan.through("setpriv", "--bounding-set=-dac_override,-dac_read_search",
					"--inh-caps=-dac_override,-dac_read_search");
		}
		TreesumProcess.Result result;
		try {
			result = scan.run();
		}
		finally {
			Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
			Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
		}
		assertThat(result.exitCode()).as(result.toString()).isZero();
		long scanId = new TreesumCli.Run(0, result.stdout(), result.stderr()).scanId();

		List<List<String>> errors = csv(report("errors", "--scan", scanId, "--format", "csv"), ERRORS);

		assertThat(errors).extracting((row) -> row.get(0), (row) -> row.get(1))
			.containsExactly(tuple(locked.toString(), "unreadable"), tuple(secret.toString(), "unreadable"));
		assertThat(errors).allSatisfy((row) -> assertThat(row.get(2)).containsIgnoringCase("permission denied"));
		List<Map<String, Object>> json = new ObjectMapper()
			.readValue(report("errors", "--scan", scanId, "--format", "json"), new TypeReference<>() {
			});
		assertThat(json).extracting((row) -> row.get("path"), (row) -> row.get("status"), (row) -> row.get("error"))
			.containsExactly(tuple(locked.toString(), "unreadable", errors.get(0).get(2)),
					tuple(secret.toString(), "unreadable", errors.get(1).get(2)));
		List<String> table = report("errors", "--scan", scanId).lines().toList();
		assertThat(table).hasSize(3);
		assertThat(table.get(0).split(" +")).containsExactly("PATH", "STATUS", "ERROR");
		assertThat(table.get(1)).startsWith(locked.toString()).contains("unreadable");

		List<List<String>> summary = csv(report("summary", "--scan", scanId, "--format", "csv"), SUMMARY);
		// Three entries: two files and the directory that could not be listed; the
		// secret's 6 bytes are counted, as its size is known, but not read.
		assertThat(summary)
			.extracting((row) -> row.get(0), (row) -> row.get(5), (row) -> row.get(6), (row) -> row.get(7),
					(row) -> row.get(8), (row) -> row.get(9))
			.containsExactly(tuple("partition-0", "COMPLETED", "3", "10", "4", "2"),
					tuple("total", "COMPLETED", "3", "10", "4", "2"));
		assertThat(summary.get(0).get(1)).isNotEmpty();
		assertThat(summary.get(1).get(1)).isEqualTo(root.toString());
	}

	@Test
	void pruneKeepsTheNewestCompletedScanOfEachHostsRootsAndStatusStillListsThemAll() throws Exception {
		Path root = tree("pruned");
		TestTrees.mixedFiles(root, 10, 31);
		Path other = tree("other");
		TestTrees.mixedFiles(other, 5, 32);
		long first = this.cli.scan(root.toString());
		long second = this.cli.scan(root.toString());
		long newest = this.cli.scan(root.toString());
		long otherRoots = this.cli.scan(other.toString());
		long otherHost = this.cli.scan("--host", "elsewhere", root.toString());

		TreesumCli.Run prune = this.cli.run("prune", "--keep", "1");

		assertThat(prune.exitCode()).as(prune.toString()).isZero();
		// The database is the whole test JVM's: other tests' older scans go too.
		assertThat(prune.out().lines()).contains("scan " + first + ": 10 file rows dropped",
				"scan " + second + ": 10 file rows dropped");
		assertThat(prune.out()).doesNotContain("scan " + newest + ":", "scan " + otherRoots + ":",
				"scan " + otherHost + ":");
		Map<Long, Long> rows = new LinkedHashMap<>();
		for (long scanId : List.of(first, second, newest, otherRoots, otherHost)) {
			rows.put(scanId, this.jdbc.queryForObject("select count(*) from treesum_file where scan_id = ?", Long.class,
					scanId));
		}
		assertThat(rows).containsExactly(entry(first, 0L), entry(second, 0L), entry(newest, 10L), entry(otherRoots, 5L),
				entry(otherHost, 10L));
		assertThat(this.jdbc.queryForList("select id from treesum_scan where id = any(?) and pruned_at is not null",
				Long.class, (Object) new Long[] { first, second, newest, otherRoots, otherHost }))
			.containsExactlyInAnyOrder(first, second);
		TreesumCli.Run status = this.cli.run("status", "--limit", "1000");
		assertThat(status.exitCode()).as(status.toString()).isZero();
		for (long scanId : List.of(first, second)) {
			assertThat(status.out().lines().filter((line) -> line.startsWith(scanId + " ")))
				.singleElement(as(InstanceOfAssertFactories.STRING))
				.contains("COMPLETED")
				.contains(" 10 ")
				.endsWith(root.toString());
		}
		assertThat(this.cli.run("prune", "--keep", "1").out()).as("nothing is left to prune")
			.doesNotContain("scan " + first + ":", "scan " + second + ":");
		// Against a pruned base every file would look added: the report refuses instead.
		TreesumCli.Run changes = this.cli.run("report", "changes", "--scan", Long.toString(newest));
		assertThat(changes.exitCode()).as(changes.toString()).isEqualTo(2);
		assertThat(changes.err()).contains("the base scan " + second + " was pruned");
		assertThat(changes.out()).isEmpty();
		TreesumCli.Run duplicates = this.cli.run("report", "duplicates", "--scan", Long.toString(first));
		assertThat(duplicates.exitCode()).as(duplicates.toString()).isEqualTo(2);
		assertThat(duplicates.err()).contains("scan " + first + " was pruned");
		assertThat(csv(report("summary", "--scan", first, "--format", "csv"), SUMMARY)).as("a pruned scan's totals")
			.extracting((row) -> row.get(0), (row) -> row.get(5), (row) -> row.get(6))
			.containsExactly(tuple("partition-0", "COMPLETED", "10"), tuple("total", "COMPLETED", "10"));
	}

	private String report(String[] options, String... more) {
		String[] args = new String[options.length + more.length];
		System.arraycopy(options, 0, args, 0, options.length);
		System.arraycopy(more, 0, args, options.length, more.length);
		return report(args);
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

	private long bytesRead(long scanId) {
		return this.jdbc.queryForObject("select sum(bytes_read) from treesum_partition where scan_id = ?", Long.class,
				scanId);
	}

	private Map<String, String> digests(long scanId) {
		Map<String, String> digests = new HashMap<>();
		for (Map<String, Object> row : this.jdbc
			.queryForList("select path_text, digest from treesum_file where scan_id = ? and kind = 'file'", scanId)) {
			digests.put((String) row.get("path_text"), HexFormat.of().formatHex((byte[]) row.get("digest")));
		}
		return digests;
	}

	private Path tree(String name) throws IOException {
		return Files.createDirectory(this.temp.resolve(name)).toRealPath();
	}

	private static Path write(Path path, String content) throws IOException {
		Files.createDirectories(path.getParent());
		return Files.writeString(path, content);
	}

	private static String size(Path path) throws IOException {
		return Long.toString(Files.size(path));
	}

	private static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] content) throws NoSuchAlgorithmException {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
	}

	/**
	 * Read RFC 4180 CSV, quoted fields with commas, quotes and line breaks included, and
	 * check its header.
	 * @return the rows after the header
	 */
	static List<List<String>> csv(String text, List<String> header) {
		List<List<String>> rows = new ArrayList<>();
		List<String> row = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
					field.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					field.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == ',') {
				row.add(field.toString());
				field.setLength(0);
			}
			else if (c == '\n') {
				row.add(field.toString());
				field.setLength(0);
				rows.add(row);
				row = new ArrayList<>();
			}
			else {
				field.append(c);
			}
		}
		assertThat(quoted).as("an unterminated quote in %s", text).isFalse();
		assertThat(field.length() == 0 && row.isEmpty()).as("the last row ends with a newline: %s", text).isTrue();
		assertThat(rows).as(text).isNotEmpty();
		assertThat(rows.get(0)).as("the header").isEqualTo(header);
		for (List<String> fields : rows) {
			assertThat(fields).as("the fields of every row").hasSameSizeAs(header);
		}
		return rows.subList(1, rows.size());
	}

}
