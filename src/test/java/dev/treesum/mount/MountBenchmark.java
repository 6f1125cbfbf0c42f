package dev.treesum.mount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;

import dev.treesum.TestDatabase;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Prints what partitioning by disk buys: two file systems on two different disks (an ext4
 * image on the machine's disk, through a loop device, and an ext4 on a zram RAM disk)
 * scanned with one thread and with two, and the effect of {@code --io-concurrency} on
 * many small files, each with a cold page cache. Needs root (mounts, zram, dropping
 * caches); it prints figures and does not pass or fail. Run with
 * {@code ./mvnw test -Dtest=MountBenchmark}; sizes with {@code -Dbenchmark.mib=1024}.
 */
class MountBenchmark {

	private static final Path WORK = Path.of(System.getProperty("benchmark.dir", "/var/tmp/treesum-mount-benchmark"));

	private static final int MIB = Integer.getInteger("benchmark.mib", 1024);

	private static final int SMALL_FILES = Integer.getInteger("benchmark.small-files", 20000);

	@Test
	void parallelAcrossDisksAndConcurrentReadsInsideOne() throws Exception {
		Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount and drop caches");
		Assumptions.assumeTrue(Files.exists(Path.of("/sys/block/zram0")), "needs a zram device for a second disk");
		prepare();
		System.out.printf(Locale.ROOT, "%nMount benchmark: %d MiB of 4 MiB files on each of two disks, "
				+ "%d files of 16 KiB for --io-concurrency; cold page cache for every run%n", MIB, SMALL_FILES);

		Run serial = scan("--threads", "1", "--io-concurrency", "1", "/bench/disk/large", "/bench/zram/large");
		Run parallel = scan("--threads", "2", "--io-concurrency", "1", "/bench/disk/large", "/bench/zram/large");
		System.out.printf(Locale.ROOT, "two disks, --threads 1: %6.1f s  %7.1f MB/s%n", serial.seconds,
				serial.megabytesPerSecond());
		System.out.printf(Locale.ROOT, "two disks, --threads 2: %6.1f s  %7.1f MB/s  speed-up %.2fx%n",
				parallel.seconds, parallel.megabytesPerSecond(), serial.seconds / parallel.seconds);
		printPartitions(parallel);

		for (String disk : List.of("disk", "zram")) {
			Run one = scan("--threads", "1", "--io-concurrency", "1", "/bench/" + disk + "/small");
			Run four = scan("--threads", "1", "--io-concurrency", "4", "/bench/" + disk + "/small");
			System.out.printf(Locale.ROOT,
					"%s small files: --io-concurrency 1 %8.0f files/s, --io-concurrency 4 %8.0f files/s, %.2fx%n", disk,
					one.filesPerSecond(), four.filesPerSecond(), one.seconds / four.seconds);
		}
	}

	/**
	 * Build the two file systems once: an ext4 image on the machine's disk and an ext4 on
	 * zram0, each with large files and small ones.
	 */
	private static void prepare() throws Exception {
		Files.createDirectories(WORK);
		Path image = WORK.resolve("disk.img");
		if (!Files.exists(WORK.resolve("ready"))) {
			long imageMib = MIB + SMALL_FILES * 20L / 1024 + 256;
			TestTrees.sh("truncate -s " + imageMib + "M " + image + " && mkfs.ext4 -q -F " + image);
			TestTrees.sh("if [ \"$(cat /sys/block/zram0/disksize)\" = 0 ]; then echo " + imageMib
					+ "M > /sys/block/zram0/disksize; fi && mkfs.ext4 -q -F /dev/zram0");
			String fill = "for d in disk zram; do mkdir -p /bench/$d/large /bench/$d/small; i=0; while [ $i -lt "
					+ (MIB / 4) + " ]; do head -c 4194304 /dev/urandom > /bench/$d/large/f$i; i=$((i+1)); done; "
					+ "j=0; while [ $j -lt " + (SMALL_FILES / 100) + " ]; do mkdir -p /bench/$d/small/d$j; k=0; "
					+ "while [ $k -lt 100 ]; do head -c 16384 /dev/urandom > /bench/$d/small/d$j/f$k; k=$((k+1)); "
					+ "done; j=$((j+1)); done; done";
			TestTrees.sh("unshare -m --propagation private sh -c '" + mounts() + " && " + fill + "'");
			Files.writeString(WORK.resolve("ready"), "");
		}
	}

	private static String mounts() {
		return "mkdir -p /bench/disk /bench/zram && mount -t tmpfs none /bench && mkdir -p /bench/disk /bench/zram"
				+ " && mount -o loop " + WORK.resolve("disk.img") + " /bench/disk && mount /dev/zram0 /bench/zram";
	}

	private static Run scan(String... args) throws Exception {
		String[] command = new String[args.length + 2];
		command[0] = "scan";
		command[1] = "--new";
		System.arraycopy(args, 0, command, 2, args.length);
		TreesumProcess process = TreesumProcess.against(command)
			.through("unshare", "-m", "--propagation", "private", "sh", "-c",
					mounts() + " && sync && echo 3 > /proc/sys/vm/drop_caches && exec \"$@\"", "sh")
			.timeout(java.time.Duration.ofMinutes(20));
		long start = System.nanoTime();
		TreesumProcess.Result result = process.run();
		double wall = (System.nanoTime() - start) / 1e9;
		if (result.exitCode() != 0) {
			throw new IllegalStateException(result.toString());
		}
		long scanId = Long.parseLong(result.out().replaceAll("(?s).*scan (\\d+) completed.*", "$1"));
		try (Connection connection = DriverManager.getConnection(TestDatabase.url());
				PreparedStatement statement = connection
					.prepareStatement("select sum(files), sum(bytes), extract(epoch from max(ended_at) - "
							+ "min(started_at)) from treesum_scan_status where scan_id = ?")) {
			statement.setLong(1, scanId);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return new Run(scanId, rs.getLong(1), rs.getLong(2), rs.getDouble(3), wall);
			}
		}
	}

	private static void printPartitions(Run run) throws Exception {
		try (Connection connection = DriverManager.getConnection(TestDatabase.url());
				PreparedStatement statement = connection
					.prepareStatement("select name, mountpoint, disk, files, bytes, seconds from "
							+ "treesum_partition_status where scan_id = ? order by name")) {
			statement.setLong(1, run.scanId);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					System.out.printf(Locale.ROOT, "  %s %-14s disk %-8s %6d files %8.1f MB in %5.1f s: %7.1f MB/s%n",
							rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5) / 1e6,
							rs.getDouble(6), rs.getLong(5) / 1e6 / Math.max(rs.getDouble(6), 1e-3));
				}
			}
		}
	}

	private record Run(long scanId, long files, long bytes, double seconds, double wall) {

		double megabytesPerSecond() {
			return this.bytes / 1e6 / this.seconds;
		}

		double filesPerSecond() {
			return this.files / this.seconds;
		}

	}

}
