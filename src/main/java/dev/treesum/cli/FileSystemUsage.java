package dev.treesum.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a file system holds, from {@code statvfs}: its used bytes (blocks less free
 * blocks, from Java's {@link FileStore}) and used inodes (files less free files, from
 * {@code stat -f}, since Java does not tell them). A scan of the whole file system reads
 * about that much, which makes an estimate of the time left.
 *
 * @param bytes the bytes in use
 * @param inodes the inodes in use, or -1 where the file system does not count them (btrfs
 * reports none)
 */
record FileSystemUsage(long bytes, long inodes) {

	/**
	 * Return the usage of the file system mounted at a path.
	 * @param mountPoint the mount point
	 * @return its usage, or empty if it cannot be read
	 */
	static Optional<FileSystemUsage> of(Path mountPoint) {
		try {
			FileStore store = Files.getFileStore(mountPoint);
			long bytes = store.getTotalSpace() - store.getUnallocatedSpace();
			return (bytes > 0) ? Optional.of(new FileSystemUsage(bytes, inodes(mountPoint))) : Optional.empty();
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	private static long inodes(Path mountPoint) {
		try {
			Process stat = new ProcessBuilder("stat", "-f", "-c", "%c %d", "--", mountPoint.toString())
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			String output = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
			if (!stat.waitFor(5, TimeUnit.SECONDS) || stat.exitValue() != 0) {
				stat.destroyForcibly();
				return -1;
			}
			String[] fields = output.split(" ");
			long total = Long.parseLong(fields[0]);
			long free = Long.parseLong(fields[1]);
			return (total > 0) ? total - free : -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * Estimate the time left to read the file system: the part done is the mean of the
	 * parts of its bytes and of its inodes read so far (bytes alone where it counts no
	 * inodes), and what is left takes as long per part as what is done.
	 * @param elapsed how long the scan has read it
	 * @param files the entries read
	 * @param bytes the bytes read
	 * @return the time left, or empty before anything was read or once the estimate is
	 * exceeded
	 */
	Optional<Duration> timeLeft(Duration elapsed, long files, long bytes) {
		double done = (double) bytes / this.bytes;
		if (this.inodes > 0) {
			done = (done + (double) files / this.inodes) / 2;
		}
		if (done <= 0 || done >= 1 || elapsed.isZero()) {
			return Optional.empty();
		}
		return Optional.of(Duration.ofMillis((long) (elapsed.toMillis() * (1 - done) / done)));
	}

}
