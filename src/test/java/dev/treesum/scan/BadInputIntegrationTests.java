package dev.treesum.scan;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.treesum.walk.PathBytes;
import dev.treesum.TestDatabase;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad input the README promises to survive, each as a user meets it: {@code treesum}
 * in a child JVM against the test PostgreSQL, on real trees. Every entry is recorded and
 * the scan completes; what cannot be done at all ends with one clear line and the
 * documented exit code.
 */
class BadInputIntegrationTests {

	private static final Pattern COMPLETED = Pattern
		.compile("scan (\\d+) completed: ([\\d,]+) files, .*, ([\\d,]+) errors in .*");

	private static JdbcTemplate jdbc;

	@TempDir
	private Path temp;

	private Path root;

	@BeforeAll
	static void connect() {
		jdbc = new JdbcTemplate(
				new SimpleDriverDataSource(new org.postgresql.Driver(), TestDatabase.url(), "postgres", ""));
	}

	@BeforeEach
	void createRoot() throws IOException {
		this.root = Files.createDirectory(this.temp.resolve("root")).toRealPath();
	}

	@Test
	void namesThatAreNotUtf8AreStoredExactlyAndExportForSha256sumUnderThePosixLocale() throws Exception {
		List<byte[]> names = List.of(latin1("caf\u00e9"), latin1("caf\u00e8"), utf8("r\u00e9sum\u00e9.txt"),
				new byte[] { (byte) 0xff, (byte) 0xfe }, latin1("back\\slash"), latin1("new\nline"),
				latin1("ends in cr\r"), latin1("plain"));
		for (int i = 0; i < names.size(); i++) {
			TestTrees.file(this.root, names.get(i), "content " + i);
		}
		Path directory = this.root.resolve("sub");
		Files.createDirectory(directory);
		TestTrees.file(directory, latin1("na\u00efve"), "nested");

		long scanId = completed(TreesumProcess.against("scan", this.root.toString()).posixLocale().run(), 9, 0);

		Map<String, Map<String, Object>> rows = rows(scanId);
		List<String> expected = new ArrayList<>(names.stream().map((name) -> key(this.root, name)).toList());
		expected.add(key(directory, latin1("na\u00efve")));
		assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(rows.get(key(this.root, latin1("caf\u00e9"))).get("path_text")).isEqualTo(this.root + "/caf\\xe9");
		assertThat(rows.get(key(this.root, utf8("r\u00e9sum\u00e9.txt"))).get("path_text"))
			.isEqualTo(this.root + "/r\u00e9sum\u00e9.txt");

		TreesumProcess.Result export = TreesumProcess
			.against("export", "--scan", Long.toString(scanId), "--format", "sha256sum")
			.posixLocale()
			.run();
		assertThat(export.exitCode()).as(export.toString()).isZero();
		Path sums = this.temp.resolve("sums.txt");
		Files.write(sums, export.stdout());
		// The paths are absolute, so sha256sum can check them from anywhere.
		Process check = new ProcessBuilder("sha256sum", "--check", "--strict", sums.toString()).directory(new File("/"))
			.redirectErrorStream(true)
			.start();
		String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(check.exitValue()).as(checked).isZero();
		assertThat(checked.lines().filter((line) -> line.endsWith(": OK"))).hasSize(9);
	}

	@Test
	void fifosSocketsDevicesAndSymlinkLoopsAreRecordedNotOpened() throws Exception {
		TestTrees.fifo(this.root.resolve("pipe"));
		try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			// The socket file outlives the channel.
			socket.bind(UnixDomainSocketAddress.of(this.root.resolve("sock")));
		}
		// A device node whose reading never ends, if this machine lets us make one.
		boolean device = tryShell("mknod \"$1/zero\" c 1 5", this.root);
		TestTrees.symlink(this.root, utf8("loop-a"), utf8("loop-b"));
		TestTrees.symlink(this.root, utf8("loop-b"), utf8("loop-a"));
		TestTrees.symlink(this.root, utf8("up"), utf8(".."));
		TestTrees.symlink(this.root, utf8("dangling"), latin1("nowhere/caf\u00e9"));
		Files.writeString(this.root.resolve("plain"), "plain");
		int entries = 7 + (device ? 1 : 0);

		long scanId = completed(
				TreesumProcess.against("scan", this.root.toString()).timeout(Duration.ofSeconds(90)).run(), entries, 0);

		Map<String, Map<String, Object>> rows = rows(scanId);
		assertThat(rows).hasSize(entries);
		assertThat(row(rows, "pipe")).containsEntry("kind", "fifo").containsEntry("status", "ok");
		assertThat(row(rows, "sock")).containsEntry("kind", "socket").containsEntry("status", "ok");
		if (device) {
			assertThat(row(rows, "zero")).containsEntry("kind", "char-device").containsEntry("status", "ok");
		}
		Map<String, byte[]> targets = Map.of("loop-a", utf8("loop-b"), "loop-b", utf8("loop-a"), "up", utf8(".."),
				"dangling", latin1("nowhere/caf\u00e9"));
		targets.forEach((name, target) -> {
			assertThat(row(rows, name)).as(name).containsEntry("kind", "symlink").containsEntry("status", "ok");
			assertThat((byte[]) row(rows, name).get("link_target")).as(name).isEqualTo(target);
		});
		assertThat(rows.values()).filteredOn((row) -> row.get("digest") != null)
			.extracting((row) -> row.get("path_text"))
			.containsExactly(this.root + "/plain");
	}

	@Test
	void unreadableFilesAndDirectoriesAreRecordedWithTheirErrorAndTheRestIsHashed() throws Exception {
		Files.writeString(this.root.resolve("secret"), "secret");
		Files.createDirectories(this.root.resolve("locked"));
		Files.writeString(this.root.resolve("locked/hidden"), "hidden");
		TestTrees.mixedFiles(this.root.resolve("open"), 20, 5);
		Files.writeString(this.root.resolve("zz-after"), "after");
		Map<String, String> expected = TestTrees.sha256sums(this.root);
		Files.setPosixFilePermissions(this.root.resolve("secret"), PosixFilePermissions.fromString("---------"));
		Files.setPosixFilePermissions(this.root.resolve("locked"), PosixFilePermissions.fromString("---------"));
		TreesumProcess scan = TreesumProcess.against("scan", this.root.toString());
		if (isRoot()) {
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
			Files.setPosixFilePermissions(this.root.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
			Files.setPosixFilePermissions(this.root.resolve("secret"), PosixFilePermissions.fromString("rw-------"));
		}

		long scanId = completed(result, 23, 2);
		assertThat(result.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
		Map<String, Map<String, Object>> rows = rows(scanId);
		assertThat(row(rows, "secret")).containsEntry("kind", "file")
			.containsEntry("status", "unreadable")
			.containsEntry("digest", null);
		assertThat((String) row(rows, "secret").get("error")).containsIgnoringCase("permission denied");
		assertThat(row(rows, "locked")).containsEntry("kind", "directory").containsEntry("status", "unreadable");
		assertThat((String) row(rows, "locked").get("error")).containsIgnoringCase("permission denied");
		assertThat(rows).doesNotContainKey(key(this.root, latin1("locked/hidden")));
		expected.remove(this.root + "/secret");
		expected.remove(this.root + "/locked/hidden");
		assertThat(expected).hasSize(21);
		expected.forEach(
				(path, digest) -> assertThat(hex(row(rows, path.substring(this.root.toString().length() + 1)))).as(path)
					.isEqualTo(digest));
	}

	@Test
	void aTreeTwoThousandLevelsDeepIsScannedEndToEnd() throws Exception {
		Path deepest = TestTrees.deepTree(this.root, 2000);
		Path bottom = Files.writeString(deepest.resolve("f"), "at the bottom");
		Files.writeString(this.root.resolve("top"), "at the top");
		try {
			String expected = TestTrees.sh("sha256sum < \"$1\"", bottom.toString()).substring(0, 64);

			long scanId = completed(TreesumProcess.against("scan", this.root.toString()).run(), 2, 0);

			Map<String, Map<String, Object>> rows = rows(scanId);
			assertThat(hex(row(rows, "d/".repeat(2000) + "f"))).isEqualTo(expected);
			assertThat(row(rows, "top")).containsEntry("status", "ok");
		}
		finally {
			// JUnit's own clean-up takes most of a minute over such a chain.
			TestTrees.sh("rm -rf \"$1\"", this.root.resolve("d").toString());
		}
	}

	@Test
	void hardLinksAreEachRecordedWithTheInodeTheyShare() throws Exception {
		Path original = Files.writeString(this.root.resolve("original"), "linked content");
		Files.createDirectories(this.root.resolve("sub"));
		Files.createLink(this.root.resolve("link"), original);
		Files.createLink(this.root.resolve("sub/link"), original);
		Files.writeString(this.root.resolve("copy"), "linked content");

		long scanId = completed(TreesumProcess.against("scan", this.root.toString()).run(), 4, 0);

		Map<String, Map<String, Object>> rows = rows(scanId);
		List<Map<String, Object>> links = List.of(row(rows, "original"), row(rows, "link"), row(rows, "sub/link"));
		assertThat(links).extracting((row) -> row.get("inode")).containsOnly(row(rows, "original").get("inode"));
		assertThat(links).extracting((row) -> row.get("device")).containsOnly(row(rows, "original").get("device"));
		assertThat(links).extracting((row) -> row.get("links")).containsOnly(3);
		assertThat(links).extracting(BadInputIntegrationTests::hex).containsOnly(hex(row(rows, "copy")));
		assertThat(row(rows, "copy").get("inode")).isNotEqualTo(row(rows, "original").get("inode"));
		assertThat(row(rows, "copy")).containsEntry("links", 1);
	}

	@Test
	void aSparseFileIsHashedAsTheBytesItReadsAs() throws Exception {
		Path sparse = this.root.resolve("sparse");
		TestTrees.sh("truncate -s 1G \"$1\" && printf data | dd of=\"$1\" bs=1 seek=536870912 conv=notrunc 2>/dev/null",
				sparse.toString());
		long allocated = Long.parseLong(TestTrees.sh("stat -c %b \"$1\"", sparse.toString()).strip()) * 512;
		assertThat(allocated).as("the file has holes").isLessThan(1 << 20);
		// sha256sum reads the gigabyte while the scan does, on the other core.
		Process sha256sum = new ProcessBuilder("sha256sum", sparse.toString()).start();

		long scanId = completed(TreesumProcess.against("scan", this.root.toString()).run(), 1, 0);

		String expected = new String(sha256sum.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
		assertThat(sha256sum.waitFor(120, TimeUnit.SECONDS)).isTrue();
		Map<String, Object> row = row(rows(scanId), "sparse");
		assertThat(row).containsEntry("size", 1L << 30);
		assertThat(hex(row)).isEqualTo(expected.substring(0, 64));
	}

	@Test
	void aRootThatDoesNotExistIsAUsageErrorAndStartsNothing() throws Exception {
		Path home = this.temp.resolve("home");
		String missing = this.temp.resolve("no-such-root").toString();

		TreesumProcess.Result result = TreesumProcess.embedded(home, "scan", missing).run();

		assertUsageError(result, home, missing);
	}

	@Test
	void aRootThatIsARegularFileIsAUsageErrorAndStartsNothing() throws Exception {
		Path home = this.temp.resolve("home");
		String file = Files.writeString(this.temp.resolve("a-file"), "not a directory").toString();

		TreesumProcess.Result result = TreesumProcess.embedded(home, "scan", this.root.toString(), file).run();

		assertUsageError(result, home, file);
	}

	@Test
	void anUnreachableDatabaseFailsWithOneClearLine() throws Exception {
		TreesumProcess.Result result = TreesumProcess.against("scan", this.root.toString())
			.env("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:1/none")
			.run();

		assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
		assertThat(result.stderr().lines()).as(result.toString()).hasSize(1);
		assertThat(result.stderr()).as(result.toString())
			.startsWith("treesum: the database is unavailable: ")
			.contains("127.0.0.1:1")
			.doesNotContain("Exception");
		assertThat(result.out()).isEmpty();
	}

	private static void assertUsageError(TreesumProcess.Result result, Path home, String root) {
		assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
		assertThat(result.stderr().lines()).as(result.toString()).hasSize(1);
		assertThat(result.stderr()).as(result.toString()).contains(root).doesNotContain("Exception");
		assertThat(result.out()).isEmpty();
		assertThat(home.resolve("pgdata")).as("no database was started").doesNotExist();
	}

	/**
	 * Assert that a scan completed with so many entries and errors, and return its id.
	 * The test database is shared by the whole test JVM: only the id tells this scan's
	 * rows from others'.
	 */
	private static long completed(TreesumProcess.Result result, int entries, int errors) {
		assertThat(result.exitCode()).as(result.toString()).isZero();
		List<String> lines = result.out().lines().toList();
		assertThat(lines).as(result.toString()).isNotEmpty();
		Matcher matcher = COMPLETED.matcher(lines.get(lines.size() - 1));
		assertThat(matcher.matches()).as(result.toString()).isTrue();
		assertThat(matcher.group(2)).as(result.toString()).isEqualTo(Integer.toString(entries));
		assertThat(matcher.group(3)).as(result.toString()).isEqualTo(Integer.toString(errors));
		return Long.parseLong(matcher.group(1));
	}

	/**
	 * Return a scan's rows by their path bytes as Latin-1 text, one character per byte.
	 */
	private static Map<String, Map<String, Object>> rows(long scanId) {
		Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
		for (Map<String, Object> row : jdbc.queryForList(
				"select path, path_text, kind, status, size, inode, device, "
						+ "links, digest, link_target, error from treesum_file where scan_id = ? order by path",
				scanId)) {
			rows.put(new String((byte[]) row.get("path"), StandardCharsets.ISO_8859_1), row);
		}
		return rows;
	}

	private Map<String, Object> row(Map<String, Map<String, Object>> rows, String relative) {
		Map<String, Object> row = rows.get(key(this.root, latin1(relative)));
		assertThat(row).as("the row of %s", relative).isNotNull();
		return row;
	}

	private static String key(Path directory, byte[] name) {
		return new String(PathBytes.of(directory), StandardCharsets.ISO_8859_1) + "/"
				+ new String(name, StandardCharsets.ISO_8859_1);
	}

	private static String hex(Map<String, Object> row) {
		byte[] digest = (byte[]) row.get("digest");
		return (digest != null) ? HexFormat.of().formatHex(digest) : null;
	}

	private static boolean tryShell(String script, Path directory) throws InterruptedException {
		try {
			TestTrees.sh(script, directory.toString());
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean isRoot() throws Exception {
		return TestTrees.sh("id -u").strip().equals("0");
	}

	private static byte[] latin1(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
