package dev.treesum.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.treesum.TestTrees;
import dev.treesum.TreesumSpringTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code export --format sums --relative} of each algorithm, checked by that algorithm's
 * own tool in the scan root, as on another machine that holds a copy of the tree:
 * {@code md5sum -c}, {@code sha1sum -c}, {@code sha256sum -c}, {@code xxhsum -c}.
 */
@TreesumSpringTest
class ExportFormatsIntegrationTests {

	/** Names that the tools escape, or that are not UTF-8, besides plain ones. */
	private static final List<String> ESCAPED = List.of("back\\slash", "new\nline", "carriage\rreturn", "ends in cr\r");

	private static final List<String> PLAIN = List.of("plain", "with space", "caf\u00e9", "tab\there", "-dash");

	@Autowired
	private ApplicationContext context;

	@TempDir
	private Path temp;

	private TreesumCli cli;

	@BeforeEach
	void commandLine() {
		this.cli = new TreesumCli(this.context);
	}

	@Test
	void md5sumChecksTheMd5Export() throws Exception {
		assertChecked("md5", "md5sum", true);
	}

	@Test
	void sha1sumChecksTheSha1Export() throws Exception {
		assertChecked("sha1", "sha1sum", true);
	}

	@Test
	void sha256sumChecksTheSha256Export() throws Exception {
		assertChecked("sha256", "sha256sum", true);
	}

	@Test
	void xxhsumChecksTheXxh128Export() throws Exception {
		Assumptions.assumeTrue(hasTool("xxhsum"), "xxhsum is missing: apt-get install xxhash");
		// xxhsum reads the escaped names from 0.8.2 on; older ones read neither form.
		Matcher version = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(TestTrees.sh("xxhsum --version 2>&1"));
		assertThat(version.find()).isTrue();
		int number = Integer.parseInt(version.group(1)) * 10000 + Integer.parseInt(version.group(2)) * 100
				+ Integer.parseInt(version.group(3));
		assertChecked("xxh128", "xxhsum", number >= 802);
	}

	@Test
	void sha256sumNamesTheFormatOfSha256ScansOnly() throws Exception {
		Path root = this.temp.resolve("md5");
		TestTrees.mixedFiles(root, 3, 1);
		long scan = this.cli.scan("--algorithm", "md5", root.toString());

		TreesumCli.Run refused = this.cli.run("export", "--scan", Long.toString(scan), "--format", "sha256sum");
		TreesumCli.Run sums = this.cli.run("export", "--scan", Long.toString(scan), "--format", "sums");

		assertThat(refused.exitCode()).isEqualTo(2);
		assertThat(refused.err()).contains("used md5", "--format sums (md5sum lines)");
		assertThat(sums.exitCode()).isZero();
		assertThat(sums.out().lines()).hasSize(3).allMatch((line) -> line.matches("[0-9a-f]{32}  /.*"));
	}

	@Test
	void relativePathsStartAtTheRootThatHoldsThem() throws Exception {
		Path first = this.temp.resolve("first");
		Path second = this.temp.resolve("second");
		Files.createDirectories(first.resolve("sub"));
		Files.createDirectories(second);
		Files.writeString(first.resolve("sub/a"), "a");
		Files.writeString(second.resolve("b"), "b");
		long scan = this.cli.scan(first.toString(), second.toString());

		List<String> sums = this.cli.run("export", "--scan", Long.toString(scan), "--relative").out().lines().toList();
		List<String> csv = this.cli.run("export", "--scan", Long.toString(scan), "--relative", "--format", "csv")
			.out()
			.lines()
			.map((line) -> line.substring(0, line.indexOf(',')))
			.toList();

		assertThat(sums).extracting((line) -> line.substring(66)).containsExactly("sub/a", "b");
		assertThat(csv).containsExactly("path", "sub/a", "b");
	}

	/**
	 * Scan a tree with an algorithm, export its sums relative to the root, and have the
	 * tool check them from the root.
	 */
	private void assertChecked(String algorithm, String tool, boolean withEscapedNames) throws Exception {
		Path root = this.temp.resolve(algorithm);
		TestTrees.mixedFiles(root, 25, 11);
		List<String> names = new ArrayList<>(PLAIN);
		if (withEscapedNames) {
			names.addAll(ESCAPED);
		}
		for (int i = 0; i < names.size(); i++) {
			// Latin-1 puts é in as the single byte 0xe9, which is not UTF-8.
			TestTrees.file(root, names.get(i).getBytes(StandardCharsets.ISO_8859_1), "content " + i);
		}
		int files = 25 + names.size();
		long scan = this.cli.scan("--algorithm", algorithm, root.toString());

		TreesumCli.Run export = this.cli.run("export", "--scan", Long.toString(scan), "--relative");

		assertThat(export.exitCode()).as(export.toString()).isZero();
		Path sums = this.temp.resolve(algorithm + ".sums");
		Files.write(sums, export.bytes());
		Process check = new ProcessBuilder(tool, "-c", "--strict", sums.toString()).directory(root.toFile())
			.redirectErrorStream(true)
			.start();
		String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(check.exitValue()).as(checked).isZero();
		assertThat(checked.lines().filter((line) -> line.endsWith(": OK"))).as(checked).hasSize(files);
	}

	private static boolean hasTool(String tool) {
		try {
			TestTrees.sh("command -v " + tool);
			return true;
		}
		catch (Exception ex) {
			return false;
		}
	}

}
