package dev.treesum.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

import dev.treesum.TestTrees;
import dev.treesum.TreesumSpringTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scan --fail-on}: the last line of every completed scan counts each kind of
 * change against the previous completed scan of the same host and roots, and a change of
 * a kind that {@code --fail-on} names makes the exit code 5, on real trees changed
 * between real scans.
 */
@TreesumSpringTest
class ScanFailOnIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@TempDir
	private Path temp;

	private TreesumCli cli;

	private Path root;

	@BeforeEach
	void tree() throws IOException {
		this.cli = new TreesumCli(this.context);
		this.root = Files.createDirectories(this.temp.resolve("tree"));
		TestTrees.mixedFiles(this.root, 30, 41);
	}

	@Test
	void aByteFlippedWithSizeAndMtimeRestoredExitsWithFiveAndCountsOneCorruptedFile() throws Exception {
		long base = this.cli.scan(this.root.toString());
		Path rotten = this.root.resolve("d5/e2/f5.bin");
		FileTime mtime = Files.getLastModifiedTime(rotten);
		byte[] content = Files.readAllBytes(rotten);
		content[content.length / 2] ^= 0x40;
		Files.write(rotten, content);
		Files.setLastModifiedTime(rotten, mtime);

		TreesumCli.Run scan = this.cli.run("scan", "--fail-on", "corrupted", this.root.toString());

		assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(5);
		assertThat(scan.scanId()).isGreaterThan(base);
		assertThat(scan.lastLine()).matches(
				"scan \\d+ completed: 30 files, .*; changes: added=0 deleted=0 " + "modified=0 corrupted=1 moved=0");
		assertThat(scan.err()).contains("found corrupted=1 since scan " + base);
	}

	@Test
	void failOnModifiedOnAnUnchangedTreeExitsWithZero() {
		this.cli.scan(this.root.toString());

		TreesumCli.Run scan = this.cli.run("scan", "--fail-on", "modified", this.root.toString());

		assertThat(scan.exitCode()).as(scan.toString()).isZero();
		assertThat(scan.lastLine()).endsWith("; changes: added=0 deleted=0 modified=0 corrupted=0 moved=0");
		assertThat(scan.err()).isEmpty();
	}

	@Test
	void aFirstScanHasNothingToCompareWithAndFindsNoChange() {
		TreesumCli.Run scan = this.cli.run("scan", "--fail-on", "added,deleted", this.root.toString());

		assertThat(scan.exitCode()).as(scan.toString()).isZero();
		assertThat(scan.lastLine())
			.endsWith("; changes: added=0 deleted=0 modified=0 corrupted=0 moved=0 (no previous scan)");
	}

	@Test
	void theLastLineCountsEachKindAndOnlyTheNamedKindsFail() throws Exception {
		this.cli.scan(this.root.toString());
		Files.writeString(this.root.resolve("new-1.txt"), "added");
		Files.writeString(this.root.resolve("new-2.txt"), "added too");
		Files.delete(this.root.resolve("d1/e1/f1.bin"));
		Path grown = this.root.resolve("d2/e2/f2.bin");
		Files.write(grown, new byte[] { 1, 2, 3 }, StandardOpenOption.APPEND);
		Files.move(this.root.resolve("d4/e1/f4.bin"), this.root.resolve("moved.bin"));

		TreesumCli.Run lenient = this.cli.run("scan", "--fail-on", "corrupted,errors", this.root.toString());
		assertThat(lenient.exitCode()).as(lenient.toString()).isZero();
		assertThat(lenient.lastLine()).endsWith("; changes: added=2 deleted=1 modified=1 corrupted=0 moved=1");

		Files.delete(this.root.resolve("new-2.txt"));
		TreesumCli.Run strict = this.cli.run("scan", "--fail-on", "MOVED,deleted", this.root.toString());
		assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(5);
		assertThat(strict.lastLine()).endsWith("; changes: added=0 deleted=1 modified=0 corrupted=0 moved=0");
		assertThat(strict.err()).contains("found deleted=1 since scan " + lenient.scanId());
	}

	@Test
	void anUnknownKindIsAUsageError() {
		TreesumCli.Run scan = this.cli.run("scan", "--fail-on", "rotten", this.root.toString());

		assertThat(scan.exitCode()).isEqualTo(2);
		assertThat(scan.err()).contains("--fail-on").contains("rotten");
		assertThat(scan.out()).isEmpty();
	}

}
