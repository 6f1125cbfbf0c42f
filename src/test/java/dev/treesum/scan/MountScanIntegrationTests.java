package dev.treesum.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.treesum.walk.PathBytes;
import dev.treesum.TestDatabase;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import dev.treesum.mount.BlockDevices;
import dev.treesum.mount.Mount;
import dev.treesum.mount.MountTable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scans of real nested file systems: loop-mounted ext4 images, tmpfs and bind mounts, all
 * made inside a private mount namespace that also runs the treesum child JVM, so nothing
 * leaks to the host and the namespace's end unmounts everything. Needs root with mount
 * permission, as in CI; skipped otherwise.
 */
class MountScanIntegrationTests {

	private static final Pattern COMPLETED = Pattern.compile("scan (\\d+) completed: ([\\d,]+) files, .*");

	private static JdbcTemplate jdbc;

	@TempDir
	private Path temp;

	private Path root;

	@BeforeAll
	static void requireMountPermission(@TempDir Path temp) throws Exception {
		Assumptions.assumeTrue(commandExists("unshare") && commandExists("mount"),
				"needs util-linux's unshare and mount");
		ProcessBuilder probe = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
				"mount -t tmpfs treesum-probe \"$1\"", "sh", temp.toString())
			.redirectErrorStream(true);
		Process process = probe.start();
		String output = new String(process.getInputStream().readAllBytes());
		Assumptions.assumeTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0,
				"this process may not mount in a private mount namespace (needs root with CAP_SYS_ADMIN): "
						+ output.strip());
		jdbc = new JdbcTemplate(
				new SimpleDriverDataSource(new org.postgresql.Driver(), TestDatabase.url(), "postgres", ""));
	}

	@BeforeEach
	void createRoot() throws IOException {
		this.root = Files.createDirectory(this.temp.resolve("root")).toRealPath();
	}

	@Test
	void everyFileSystemUnderTheRootIsOnePartitionAndEveryFileIsReadOnce() throws Exception {
		Assumptions.assumeTrue(commandExists("mkfs.ext4") && commandExists("losetup"),
				"needs mkfs.ext4 (e2fsprogs) and losetup to make ext4 images");
		// The root's own file system, with a file the loop mount at a/ will cover.
		TestTrees.mixedFiles(this.root.resolve("own"), 12, 1);
		Files.createDirectories(this.root.resolve("own/shown-elsewhere"));
		Files.writeString(this.root.resolve("own/shown-elsewhere/once.txt"), "read once, from own/");
		for (String mountPoint : List.of("a", "b", "c")) {
			Files.createDirectory(this.root.resolve(mountPoint));
		}
		Files.writeString(this.root.resolve("a/covered.txt"), "under the mount: unreachable");
		// What the mounted file systems will hold, copied in inside the namespace.
		Path seed = this.temp.resolve("seed");
		TestTrees.mixedFiles(seed.resolve("a"), 9, 2);
		TestTrees.mixedFiles(seed.resolve("b"), 9, 3);
		TestTrees.mixedFiles(seed.resolve("c"), 9, 4);
		Path imageA = ext4Image("a.img");
		Path imageB = ext4Image("b.img");
		Map<String, String> expected = new HashMap<>();
		TestTrees.sha256sums(this.root).forEach((path, digest) -> {
			if (!path.equals(this.root + "/a/covered.txt")) {
				expected.put(path, digest);
			}
		});
		TestTrees.sha256sums(seed)
			.forEach((path, digest) -> expected.put(this.root + path.substring(seed.toString().length()), digest));
		assertThat(expected).hasSize(12 + 1 + 3 * 9);
		String script = """
				set -e
				root=$1 seed=$2 a=$3 b=$4; shift 4
				mount -o loop "$a" "$root/a"
				mount -o loop "$b" "$root/b"
				mount -t tmpfs -o size=32m treesum-test "$root/c"
				cp -R "$seed/a/." "$root/a/"
				cp -R "$seed/b/." "$root/b/"
				cp -R "$seed/c/." "$root/c/"
				mkdir "$root/c/bound" "$root/c/bound-subdirectory"
				mount --bind "$root/a" "$root/c/bound"
				mount --bind "$root/own/shown-elsewhere" "$root/c/bound-subdirectory"
				exec "$@"
				""";
		TreesumProcess scan = TreesumProcess
			.against("scan", this.root.toString(), "--threads", "4", "--treesum.pause-per-file=5ms")
			.through("unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", this.root.toString(),
					seed.toString(), imageA.toString(), imageB.toString());

		TreesumProcess.Result result = scan.run();

		long scanId = completed(result);
		Map<String, Map<String, Object>> partitions = partitionsByMountPoint(scanId);
		Mount rootMount = MountTable.read().containing(PathBytes.of(this.root));
		String own = rootMount.mountPointText();
		String a = this.root + "/a";
		String b = this.root + "/b";
		String c = this.root + "/c";
		// One partition per file system; neither bind mount is one.
		assertThat(partitions).containsOnlyKeys(own, a, b, c);
		assertThat(partitions.get(own)).containsEntry("root", this.root.toString())
			.containsEntry("fs_type", rootMount.type())
			.containsEntry("device", rootMount.deviceName());
		assertThat(partitions.get(a)).containsEntry("root", a).containsEntry("fs_type", "ext4");
		assertThat(partitions.get(b)).containsEntry("root", b).containsEntry("fs_type", "ext4");
		assertThat(partitions.get(c)).containsEntry("root", c)
			.containsEntry("fs_type", "tmpfs")
			.containsEntry("source", "treesum-test");
		assertThat((String) partitions.get(a).get("source")).startsWith("/dev/loop");
		assertThat(partitions.values()).extracting((partition) -> partition.get("device"))
			.doesNotHaveDuplicates()
			.doesNotContainNull();
		assertThat((String) partitions.get(a).get("device")).startsWith("7:");
		assertThat((String) partitions.get(c).get("device")).startsWith("0:");

		// Each file once, in the partition of its file system, with the right digest;
		// nothing through the bind mounts, nothing the loop mount covers.
		Map<String, Map<String, Object>> files = files(scanId);
		assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
		expected.forEach((path, digest) -> assertThat(files.get(path).get("digest")).as(path).isEqualTo(digest));
		Map<String, String> partitionNames = new HashMap<>();
		partitions.forEach((mountPoint, partition) -> partitionNames.put(mountPoint, (String) partition.get("name")));
		files.forEach((path, row) -> {
			String mountPoint = path.startsWith(a + "/") ? a
					: path.startsWith(b + "/") ? b : path.startsWith(c + "/") ? c : own;
			assertThat(row.get("partition_name")).as(path).isEqualTo(partitionNames.get(mountPoint));
		});
		assertThat(jdbc.queryForList("select path_text from treesum_file where scan_id = ? and path_text like ?",
				String.class, scanId, c + "/bound%"))
			.isEmpty();
		assertThat(jdbc.queryForObject("select count(*) from treesum_file where scan_id = ?", Long.class, scanId))
			.isEqualTo(jdbc.queryForObject("select sum(files) from treesum_partition where scan_id = ?", Long.class,
					scanId));

		// The loop images live on the root's file system: if that is on a disk, the three
		// share its group; the tmpfs is a group of its own.
		Object ownDisk = partitions.get(own).get("disk");
		assertThat(partitions.get(c).get("disk")).isNotEqualTo(ownDisk);
		if (rootMount.major() != 0 && Files.exists(Path.of("/sys/dev/block", rootMount.deviceName()))) {
			assertThat(partitions.get(a).get("disk")).isEqualTo(ownDisk);
			assertThat(partitions.get(b).get("disk")).isEqualTo(ownDisk);
			assertThat(partitions.get(a).get("io_concurrency")).isEqualTo(partitions.get(own).get("io_concurrency"));
			// Where auto starts follows the disk's class (BlockDevicesTests tells the
			// classes).
			boolean spins = new BlockDevices().diskOf(rootMount.major(), rootMount.minor()).rotational();
			assertThat(partitions.get(own).get("io_concurrency")).isEqualTo(spins ? 1 : 4);
		}
		assertThat(partitions.get(c).get("io_concurrency")).isEqualTo(4);
		for (Map<String, Object> partition : partitions.values()) {
			assertThat(result.stderr()).contains(partition.get("name") + " " + partition.get("root") + ": started ("
					+ partition.get("fs_type") + " mounted at " + partition.get("mountpoint") + ", device "
					+ partition.get("device") + ", disk " + partition.get("disk") + ", auto, "
					+ partition.get("io_concurrency") + " file(s) at once to start)");
			assertThat(partition.get("io_auto")).as("auto is the default").isEqualTo(true);
		}

		// Partitions of one disk group one after the other; other groups alongside.
		Map<String, Timestamp[]> runs = runs(scanId);
		List<String> byDisk = new ArrayList<>();
		partitions.values().forEach((partition) -> byDisk.add((String) partition.get("name")));
		for (String first : byDisk) {
			for (String second : byDisk) {
				if (!first.equals(second) && disk(partitions, first).equals(disk(partitions, second))) {
					assertThat(overlap(runs.get(first), runs.get(second)))
						.as("%s and %s, both on %s", first, second, disk(partitions, first))
						.isFalse();
				}
			}
		}
		String tmpfs = (String) partitions.get(c).get("name");
		assertThat(byDisk).filteredOn((name) -> !name.equals(tmpfs))
			.as("a partition running alongside the tmpfs, on another disk")
			.anyMatch((name) -> overlap(runs.get(name), runs.get(tmpfs)));

		// The namespace is gone, its mounts with it, and the loop devices cleared.
		assertLoopDevicesReleased(imageA, imageB);
	}

	@Test
	void ioConcurrencyAppliesToEveryPartitionAndIsStoredAndLogged() throws Exception {
		TestTrees.mixedFiles(this.root.resolve("own"), 10, 5);
		Files.createDirectory(this.root.resolve("t"));
		Path seed = this.temp.resolve("seed");
		TestTrees.mixedFiles(seed, 10, 6);
		String script = """
				set -e
				root=$1 seed=$2; shift 2
				mount -t tmpfs -o size=16m treesum-test "$root/t"
				cp -R "$seed/." "$root/t/"
				exec "$@"
				""";

		TreesumProcess.Result result = TreesumProcess.against("scan", this.root.toString(), "--io-concurrency", "3")
			.through("unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", this.root.toString(),
					seed.toString())
			.run();

		long scanId = completed(result);
		Map<String, Map<String, Object>> partitions = partitionsByMountPoint(scanId);
		assertThat(partitions).hasSize(2).containsKey(this.root + "/t");
		assertThat(partitions.values()).extracting((partition) -> partition.get("io_concurrency")).containsOnly(3);
		assertThat(partitions.values()).extracting((partition) -> partition.get("io_auto")).containsOnly(false);
		assertThat(partitions.values()).extracting((partition) -> partition.get("io_concurrency_used")).containsOnly(3);
		assertThat(jdbc.queryForObject("select io_concurrency from treesum_scan where id = ?", Integer.class, scanId))
			.isEqualTo(3);
		for (Map<String, Object> partition : partitions.values()) {
			assertThat(result.stderr()).containsPattern(Pattern.quote(partition.get("name") + " ")
					+ "[^\\n]*: started \\([^\\n]*, 3 file\\(s\\) at once\\)");
		}
		assertThat(files(scanId)).hasSize(20);
	}

	@Test
	void mountPointsWithOddNamesAndOvermountedMountsUnderThePosixLocale() throws Exception {
		TestTrees.mixedFiles(this.root.resolve("own"), 3, 7);
		// Names that are not UTF-8, not ASCII, or that mountinfo escapes; a tmpfs on a
		// tmpfs that another tmpfs then covers, out of reach from any path.
		String script = """
				set -e
				root=$1; shift
				cd "$root"
				for name in "$(printf 'caf\\351')" "$(printf 'r\\303\\251sum\\303\\251')" "$(printf 'sp ace\\ttab')"; do
					mkdir "$name"
					mount -t tmpfs -o size=1m treesum-test "$name"
					printf 'inside' > "$name/file.txt"
				done
				mkdir over
				mount -t tmpfs -o size=1m lower over
				mkdir over/inner
				mount -t tmpfs -o size=1m inner over/inner
				printf 'covered' > over/inner/covered.txt
				mount -t tmpfs -o size=1m upper over
				printf 'on top' > over/top.txt
				exec "$@"
				""";

		TreesumProcess.Result result = TreesumProcess.against("scan", this.root.toString())
			.posixLocale()
			.through("unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", this.root.toString())
			.run();

		long scanId = completed(result);
		List<Map<String, Object>> partitions = jdbc.queryForList(
				"select name, root, mountpoint, fs_type, source from treesum_partition_status where scan_id = ? "
						+ "order by root",
				scanId);
		String prefix = this.root + "/";
		assertThat(partitions).extracting((partition) -> partition.get("root"))
			.containsExactlyInAnyOrder(this.root.toString(), prefix + "caf\\xe9", prefix + "r\u00e9sum\u00e9",
					prefix + "sp ace\ttab", prefix + "over");
		assertThat(partitions).filteredOn((partition) -> !partition.get("root").equals(this.root.toString()))
			.allSatisfy((partition) -> assertThat(partition.get("mountpoint")).isEqualTo(partition.get("root")))
			.extracting((partition) -> partition.get("source"))
			.containsExactlyInAnyOrder("treesum-test", "treesum-test", "treesum-test", "upper");
		Map<String, String> digests = new HashMap<>();
		jdbc.query("select path, digest from treesum_file where scan_id = ? and kind = 'file'", (rs) -> {
			digests.put(new String(rs.getBytes("path"), StandardCharsets.ISO_8859_1),
					HexFormat.of().formatHex(rs.getBytes("digest")));
		}, scanId);
		String inside = sha256("inside");
		assertThat(digests).containsEntry(prefix + "caf\u00e9/file.txt", inside)
			.containsEntry(latin1(prefix + "r\u00e9sum\u00e9/file.txt"), inside)
			.containsEntry(prefix + "sp ace\ttab/file.txt", inside)
			.containsEntry(prefix + "over/top.txt", sha256("on top"))
			.hasSize(3 + 4);
	}

	private Path ext4Image(String name) throws IOException, InterruptedException {
		Path image = this.temp.resolve(name);
		TestTrees.sh("truncate -s 32M \"$1\" && mkfs.ext4 -q -F \"$1\"", image.toString());
		return image;
	}

	private static long completed(TreesumProcess.Result result) {
		assertThat(result.exitCode()).as(result.toString()).isZero();
		Matcher matcher = COMPLETED.matcher(result.out());
		assertThat(matcher.find()).as(result.toString()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	private static Map<String, Map<String, Object>> partitionsByMountPoint(long scanId) {
		Map<String, Map<String, Object>> partitions = new HashMap<>();
		for (Map<String, Object> row : jdbc.queryForList("select * from treesum_partition_status where scan_id = ?",
				scanId)) {
			assertThat(partitions.put((String) row.get("mountpoint"), row)).as("partitions of one mount point")
				.isNull();
		}
		return partitions;
	}

	/**
	 * The scan's regular files by path, with hex digests.
	 */
	private static Map<String, Map<String, Object>> files(long scanId) {
		Map<String, Map<String, Object>> files = new HashMap<>();
		for (Map<String, Object> row : jdbc.queryForList(
				"select path_text, partition_name, digest from treesum_file where scan_id = ? and kind = 'file'",
				scanId)) {
			Map<String, Object> file = new HashMap<>(row);
			file.put("digest",
					(row.get("digest") != null) ? HexFormat.of().formatHex((byte[]) row.get("digest")) : null);
			files.put((String) row.get("path_text"), file);
		}
		return files;
	}

	/**
	 * When each partition's step ran, by partition name.
	 */
	private static Map<String, Timestamp[]> runs(long scanId) {
		Map<String, Timestamp[]> runs = new HashMap<>();
		jdbc.query("select se.step_name, se.start_time, se.end_time from batch_step_execution se "
				+ "join batch_job_execution e on e.job_execution_id = se.job_execution_id "
				+ "join treesum_scan s on s.job_instance_id = e.job_instance_id "
				+ "where s.id = ? and se.step_name like 'mountStep:%'", (rs) -> {
					runs.put(rs.getString("step_name").substring("mountStep:".length()),
							new Timestamp[] { rs.getTimestamp("start_time"), rs.getTimestamp("end_time") });
				}, scanId);
		return runs;
	}

	private static boolean overlap(Timestamp[] one, Timestamp[] other) {
		return one[0].before(other[1]) && other[0].before(one[1]);
	}

	private static String disk(Map<String, Map<String, Object>> partitions, String name) {
		return partitions.values()
			.stream()
			.filter((partition) -> partition.get("name").equals(name))
			.map((partition) -> (String) partition.get("disk"))
			.findFirst()
			.orElseThrow();
	}

	private static void assertLoopDevicesReleased(Path... images) throws Exception {
		// The kernel tears a dead namespace's mounts down just after its last process
		// ends, and autoclear detaches each loop device when its file system goes.
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		String attached;
		do {
			attached = TestTrees.sh("losetup -a");
			boolean any = false;
			for (Path image : images) {
				any |= attached.contains(image.toString());
			}
			if (!any) {
				return;
			}
			Thread.sleep(100);
		}
		while (System.nanoTime() < deadline);
		assertThat(attached).as("loop devices still attached")
			.doesNotContain(images[0].toString(), images[1].toString());
	}

	private static String sha256(String content) throws NoSuchAlgorithmException {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * The UTF-8 bytes of a text, one char per byte, as paths are compared here.
	 */
	private static String latin1(String text) {
		return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
	}

	private static boolean commandExists(String command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("sh", "-c", "command -v \"$1\"", "sh", command).start();
		process.getInputStream().readAllBytes();
		return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
	}

}
