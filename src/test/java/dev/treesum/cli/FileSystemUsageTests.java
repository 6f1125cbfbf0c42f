package dev.treesum.cli;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The estimate of the time left from a file system's used bytes and inodes.
 */
class FileSystemUsageTests {

	@TempDir
	private Path temp;

	@Test
	void halfTheBytesAndHalfTheInodesInAMinuteLeaveAMinute() {
		FileSystemUsage usage = new FileSystemUsage(1000, 100);

		assertThat(usage.timeLeft(Duration.ofMinutes(1), 50, 500)).contains(Duration.ofMinutes(1));
	}

	@Test
	void bytesAndInodesWeighAlike() {
		FileSystemUsage usage = new FileSystemUsage(1000, 100);

		// a quarter of the bytes, three quarters of the inodes: half done
		assertThat(usage.timeLeft(Duration.ofSeconds(30), 75, 250)).contains(Duration.ofSeconds(30));
	}

	@Test
	void withoutInodeCountsTheBytesAlone() {
		FileSystemUsage usage = new FileSystemUsage(1000, -1);

		assertThat(usage.timeLeft(Duration.ofSeconds(10), 5, 250)).contains(Duration.ofSeconds(30));
	}

	@Test
	void noEstimateBeforeAnythingIsReadOrOnceItIsExceeded() {
		FileSystemUsage usage = new FileSystemUsage(1000, 100);

		assertThat(usage.timeLeft(Duration.ofSeconds(10), 0, 0)).isEmpty();
		assertThat(usage.timeLeft(Duration.ofSeconds(10), 200, 2000)).isEmpty();
	}

	@Test
	void readsARealFileSystem() {
		assertThat(FileSystemUsage.of(this.temp)).hasValueSatisfying((usage) -> {
			assertThat(usage.bytes()).isPositive();
			assertThat(usage.inodes()).isNotZero();
		});
	}

}
