package dev.treesum.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.treesum.walk.PathBytes;
import dev.treesum.TestTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code sha256sum} export line is byte for byte what GNU {@code sha256sum} prints
 * for the same file, also for names holding a backslash, a newline, a carriage return or
 * bytes that are not UTF-8.
 */
class ScanExporterTests {

	private static final List<String> NAMES = List.of("plain", "with space", "back\\slash", "new\nline",
			"carriage\rreturn", "ends in cr\r", "ends in lf\n", "both\\and\nnewline", "caf\u00e9", "\\leading",
			"tab\there");

	@TempDir
	private Path temp;

	@Test
	void checksumLinesAreWhatSha256sumPrints() throws Exception {
		for (int i = 0; i < NAMES.size(); i++) {
			// Latin-1 encoding puts é in as the single byte 0xe9, which is not UTF-8.
			TestTrees.file(this.temp, NAMES.get(i).getBytes(StandardCharsets.ISO_8859_1), "content " + i);
		}
		List<Path> files = entries(this.temp);
		assertThat(files).hasSize(NAMES.size());

		List<String> expected = lines(sha256sum(this.temp));
		List<String> actual = new ArrayList<>();
		for (Path file : files) {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
			byte[] line = ScanExporter.checksumLine(digest, PathBytes.of(file));
			assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
			actual.addAll(lines(line));
		}

		// One line each, whatever the name holds; Latin-1 keeps every byte visible.
		assertThat(actual).hasSize(NAMES.size());
		assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
	}

	@Test
	void sha256sumChecksTheLines() throws Exception {
		for (int i = 0; i < NAMES.size(); i++) {
			TestTrees.file(this.temp, NAMES.get(i).getBytes(StandardCharsets.ISO_8859_1), "content " + i);
		}
		Path sums = Files.createTempFile("sums", ".txt");
		try {
			for (Path file : entries(this.temp)) {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
				Files.write(sums, ScanExporter.checksumLine(digest, PathBytes.of(file)), StandardOpenOption.APPEND);
			}

			Process check = new ProcessBuilder("sha256sum", "--check", "--strict", sums.toString())
				.redirectErrorStream(true)
				.start();
			String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();

			assertThat(check.exitValue()).as(checked).isZero();
			assertThat(checked.lines().filter((line) -> line.endsWith(": OK"))).hasSize(NAMES.size());
		}
		finally {
			Files.delete(sums);
		}
	}

	@Test
	void relativePathsStartAtTheLongestRootThatHoldsThem() {
		List<byte[]> roots = List.of(bytes("/data/inner"), bytes("/data"), bytes("/"));

		assertThat(text(ScanExporter.relative(bytes("/data/a/b"), roots))).isEqualTo("a/b");
		assertThat(text(ScanExporter.relative(bytes("/data/inner/c"), roots))).isEqualTo("c");
		assertThat(text(ScanExporter.relative(bytes("/data"), roots))).isEqualTo(".");
		assertThat(text(ScanExporter.relative(bytes("/database/d"), roots))).as("a prefix is no parent")
			.isEqualTo("database/d");
		assertThat(text(ScanExporter.relative(bytes("/database/d"), List.of(bytes("/data"))))).isEqualTo("/database/d");
		assertThat(text(ScanExporter.relative(bytes("/"), List.of(bytes("/"))))).isEqualTo(".");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/**
	 * Run {@code sha256sum} on every file of a directory by absolute name, as the export
	 * names them.
	 */
	private static byte[] sha256sum(Path directory) throws Exception {
		Process process = new ProcessBuilder("sh", "-c", "LC_ALL=C sha256sum -- \"$1\"/*", "sh", directory.toString())
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isZero();
		return output;
	}

	private static List<String> lines(byte[] output) {
		return Arrays.asList(new String(output, StandardCharsets.ISO_8859_1).split("\n"));
	}

	private static List<Path> entries(Path directory) throws Exception {
		List<Path> entries = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
			stream.forEach(entries::add);
		}
		return entries;
	}

}
