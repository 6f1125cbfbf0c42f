package dev.treesum.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.treesum.ExitCode;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the embedded database, a command that only reads runs beside a scan, as an operator
 * in a second terminal expects: it joins the server of the scan's process rather than
 * failing for the data directory being in use. A second scan still may not, and a reader
 * on its own starts the server itself. Every command is a process of its own.
 */
class ReadingBesideAScanIntegrationTests {

	@TempDir
	private Path temp;

	@Test
	void statusReportsAndDbJoinTheServerOfARunningScan() throws Exception {
		Path home = this.temp.resolve("home");
		Path root = this.temp.resolve("tree");
		TestTrees.mixedFiles(root, 200, 5);
		Path stderr = this.temp.resolve("scan.err");
		Process scan = TreesumProcess
			.embedded(home, "scan", "--treesum.pause-per-file=500ms", "--treesum.chunk-size=10", root.toString())
			.builder(this.temp.resolve("scan.out"), stderr)
			.start();
		try {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			while (!Files.readString(stderr).contains(": started") && scan.isAlive() && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(Files.readString(stderr)).contains(": started");

			TreesumProcess.Result status = TreesumProcess.embedded(home, "status").run();
			TreesumProcess.Result summary = TreesumProcess.embedded(home, "report", "summary", "--scan", "1").run();
			TreesumProcess.Result db = TreesumProcess.embedded(home, "db").run();
			TreesumProcess.Result secondScan = TreesumProcess.embedded(home, "scan", root.toString()).run();

			assertThat(scan.isAlive()).as("the scan ran throughout").isTrue();
			assertThat(status.exitCode()).as(status.toString()).isZero();
			assertThat(status.out()).contains("STARTED", root.toString());
			assertThat(summary.exitCode()).as(summary.toString()).isZero();
			assertThat(summary.out()).contains(root.toString());
			assertThat(db.exitCode()).as(db.toString()).isZero();
			assertThat(db.out()).startsWith("postgresql://postgres@localhost:");
			assertThat(db.stderr()).contains("another treesum process's");
			assertThat(secondScan.exitCode()).as(secondScan.toString()).isEqualTo(ExitCode.ALREADY_RUNNING.code());
			assertThat(secondScan.stderr()).contains("in use by another treesum process");

			TestTrees.sh("kill -TERM " + scan.pid());
			assertThat(scan.waitFor(1, TimeUnit.MINUTES)).isTrue();
			assertThat(scan.exitValue()).as(Files.readString(stderr)).isEqualTo(ExitCode.STOPPED.code());
		}
		finally {
			scan.destroyForcibly();
		}

		TreesumProcess.Result alone = TreesumProcess.embedded(home, "status").timeout(Duration.ofMinutes(1)).run();

		assertThat(alone.exitCode()).as(alone.toString()).isZero();
		assertThat(alone.out()).contains("STOPPED");
	}

}
